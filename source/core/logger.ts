import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The orchestrator's own log. */
export interface Logger {
	log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/**
 * Appends one line per entry to `.cmux/logs/cmux.log`, rotating it to `cmux.log.1` … `.N`
 * when it grows past `maxBytes`. Logging never throws: a full disk must not stop the loop.
 */
export class FileLogger implements Logger {
	private size: number;

	constructor(private readonly file: string, private readonly options: {maxBytes?: number; keep?: number} = {}) {
		fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		this.size = fileSize(file);
	}

	log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
		const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
		const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`;
		try {
			if (this.size + line.length > (this.options.maxBytes ?? 5 * 1024 * 1024)) {
				this.rotate();
			}

			fs.appendFileSync(this.file, line, {mode: 0o600});
			this.size += Buffer.byteLength(line);
		} catch {
			// The log is where failures would be reported; with the disk full or the file gone, it stays silent.
		}
	}

	private rotate(): void {
		shiftRotated(this.file, this.options.keep ?? 3);
		tryRename(this.file, `${this.file}.1`);
		this.size = 0;
	}
}

/** A logger that drops everything (tests, one-shot commands). */
export const nullLogger: Logger = {log() {}};

function fileSize(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/** Make room for a new `file.1`: `file.1` → `file.2` … up to `file.<keep>` (the oldest is overwritten). */
export function shiftRotated(file: string, keep: number): void {
	for (let index = keep - 1; index >= 1; index--) {
		tryRename(`${file}.${index}`, `${file}.${index + 1}`);
	}
}

/** Rename, ignoring a missing source (rotation is best effort). */
export function tryRename(from: string, to: string): void {
	try {
		fs.renameSync(from, to);
	} catch {
		// A missing older rotation is normal; the log is best effort (see FileLogger).
	}
}
