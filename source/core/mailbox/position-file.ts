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
