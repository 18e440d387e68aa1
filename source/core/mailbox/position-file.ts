import fs from 'node:fs';
import {z} from 'zod';
import type {FilePosition} from '../files/segments.js';

const positionSchema = z.object({
	dev: z.number().int().nonnegative(),
	ino: z.number().int().nonnegative(),
	offset: z.number().int().nonnegative(),
	line: z.number().int().nonnegative(),
});

/** Where the mailbox read position is kept besides the store: `<mailbox>.offset`. */
export function positionFileOf(mailboxFile: string): string {
	return `${mailboxFile}.offset`;
}

/**
 * The read position saved beside the mailbox, or undefined (none, or unreadable: then the store's
 * position or the file's start is used). A store rebuilt after a loss resumes from here instead of
 * delivering the whole mailbox again.
 */
export function readPositionFile(file: string): FilePosition | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		// Missing (first run, or never written): the caller starts from the store or the file's start.
		return undefined;
	}

	try {
		const parsed = positionSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : undefined;
	} catch {
		// Not JSON (cut short by a crash of an old writer): as if absent.
		return undefined;
	}
}

/**
 * Save the position after the store committed it: written to a temp file and renamed over, so a
 * reader sees the old or the new position, never half of one. It may lag the store by one batch
 * after a crash; it is only read when the store has no position at all.
 */
export function writePositionFile(file: string, position: FilePosition): void {
	const temporary = `${file}.tmp-${process.pid}`;
	fs.writeFileSync(temporary, `${JSON.stringify({dev: position.dev, ino: position.ino, offset: position.offset, line: position.line})}\n`, {mode: 0o600});
	fs.renameSync(temporary, file);
}

/** How often, at most, the position file is rewritten while batches keep coming. */
const positionEveryMs = 1000;

/**
 * Keeps the position file up to date without a file write per batch: the first position of a
 * quiet spell is written at once, later ones at most once a second (the last one always, a
 * second after it at the latest, and at `flush`). After a crash it lags the store by at most that
 * second; it is only read when the store has no position at all.
 */
export class PositionFileWriter {
	private pending?: FilePosition;
	private timer?: NodeJS.Timeout;
	private lastWrite = Number.NEGATIVE_INFINITY;
	private failing = false;

	constructor(private readonly file: string, private readonly onError: (error: unknown) => void) {}

	save(position: FilePosition): void {
		this.pending = position;
		if (this.timer) {
			return;
		}

		const wait = this.lastWrite + positionEveryMs - Date.now();
		if (wait <= 0) {
			this.flush();
			return;
		}

		this.timer = setTimeout(() => {
			this.flush();
		}, wait);
		this.timer.unref();
	}

	/** Write the pending position now (also on stop). */
	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		const position = this.pending;
		this.pending = undefined;
		if (!position) {
			return;
		}

		this.lastWrite = Date.now();
		try {
			writePositionFile(this.file, position);
			this.failing = false;
		} catch (error) {
			// The store holds the position (committed already); this copy only matters if the store is lost. Reported once.
			if (!this.failing) {
				this.failing = true;
				this.onError(error);
			}
		}
	}
}
