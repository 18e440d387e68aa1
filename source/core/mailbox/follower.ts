import fs from 'node:fs';
import path from 'node:path';
import {findByIdentity, type FilePosition} from './file-identity.js';

export type {FilePosition} from './file-identity.js';

/** One complete line: its text, or the problem that makes it unreadable. */
export interface RawLine {
	/** 1-based line number within its file. */
	line: number;
	/** Byte offset of the line's first byte. */
	offset: number;
	ino: number;
	text?: string;
	problem?: string;
}

/**
 * Receives complete lines and the position just after them. It must store both atomically; if it
 * throws, the follower forgets what it read and reads again from the last position it was given.
 */
export type BatchHandler = (lines: RawLine[], after: FilePosition) => void;

interface Open {
	fd: number;
	dev: number;
	ino: number;
	/** Committed: the end of the last complete line handed over. */
	offset: number;
	line: number;
	/** How far the file has been read (past `offset` when a line is still being written). */
	readPos: number;
	pending: Buffer[];
	pendingBytes: number;
	tooLong: boolean;
}

export interface FollowerOptions {
	/** Longest accepted line in bytes; longer ones are rejected and skipped. */
	maxLineBytes?: number;
	/** Fallback poll for file systems where fs.watch stays silent. */
	pollMs?: number;
	onError?: (error: unknown) => void;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * Follows the mailbox by byte offset. Written for this purpose instead of using tail-file, whose
 * positions are decoded-character counts that it resets on rotation, so it cannot say exactly which
 * byte a line ended at — the one thing an exactly-once ingest must store.
 *
 * Only newline-terminated lines are handed over. Truncation restarts the file at 0; a replaced or
 * archived file (new inode at the path) is read to its end through the still-open descriptor, then
 * the new file is read from 0. After a restart, a file moved away while the orchestrator was down
 * is found again by dev+ino in the mailbox folder or `mailbox-archive/` and its tail finished.
 */
export class MailboxFollower {
	private current?: Open;
	private watcher?: fs.FSWatcher;
	private timer?: NodeJS.Timeout;
	private scheduled = false;
	private stopped = false;
	private readonly buffer = Buffer.alloc(256 * 1024);
	private readonly maxLineBytes: number;

	constructor(private readonly file: string, private start: FilePosition | undefined, private readonly onBatch: BatchHandler, private readonly options: FollowerOptions = {}) {
		this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
	}

	/** Read what is there now, then follow changes (fs.watch on the folder, plus a slow poll). */
	follow(): void {
		const dir = path.dirname(this.file);
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		const base = path.basename(this.file);
		try {
			this.watcher = fs.watch(dir, (_event, name) => {
				if (name === null || name === base || name.startsWith('mailbox')) {
					this.schedule();
				}
			});
			this.watcher.on('error', () => undefined);
		} catch {}

		this.timer = setInterval(() => {
			this.schedule();
		}, this.options.pollMs ?? 200);
		this.timer.unref();
		this.check();
	}

	stop(): void {
		this.stopped = true;
		this.watcher?.close();
		clearInterval(this.timer);
		if (this.current) {
			fs.closeSync(this.current.fd);
			this.current = undefined;
		}
	}

	private schedule(): void {
		if (!this.scheduled && !this.stopped) {
			this.scheduled = true;
			setImmediate(() => {
				this.scheduled = false;
				this.check();
			});
		}
	}

	/** One synchronous pass: read new complete lines, then notice truncation or replacement. */
	check(): void {
		if (this.stopped) {
			return;
		}

		try {
			this.current ??= this.openInitial();
			const open = this.current;
			if (!open) {
				return;
			}

			this.drain(open);
			const onDisk = statOrUndefined(this.file);
			if (fs.fstatSync(open.fd).size < open.readPos) {
				this.reset(open);
				this.onBatch([], position(open));
				this.drain(open);
			} else if (!onDisk || onDisk.ino !== open.ino || onDisk.dev !== open.dev) {
				this.drain(open);
				this.current = undefined;
				this.finish(open, onDisk ? this.openAt(onDisk, 0) : undefined);
				if (this.current) {
					this.drain(this.current);
				}
			}
		} catch (error) {
			this.options.onError?.(error);
		}
	}

	private openInitial(): Open | undefined {
		const onDisk = statOrUndefined(this.file);
		const stored = this.start;
		if (!stored) {
			return onDisk && this.openAt(onDisk, 0);
		}

		if (onDisk && onDisk.dev === stored.dev && onDisk.ino === stored.ino) {
			// Smaller than where we were: truncated while we were down.
			return onDisk.size >= stored.offset ? this.openAt(onDisk, stored.offset, stored.line) : this.openAt(onDisk, 0);
		}

		const previous = findByIdentity(path.dirname(this.file), stored);
		if (previous) {
			const old = this.openAt(previous.stat, stored.offset, stored.line, previous.file);
			this.drain(old);
			this.finish(old, onDisk ? this.openAt(onDisk, 0) : undefined);
		} else if (onDisk) {
			this.options.onError?.(new Error(`the mailbox was replaced and its previous file (inode ${stored.ino}) is gone; reading the new one from the start`));
			const fresh = this.openAt(onDisk, 0);
			this.onBatch([], position(fresh));
			this.start = position(fresh);
			return fresh;
		}

		return this.current;
	}

	/** Close a file that is done with (rotated away) and commit the switch to `next` with its leftovers. */
	private finish(old: Open, next: Open | undefined): void {
		const leftovers: RawLine[] = old.pendingBytes > 0 || old.tooLong
			? [{line: old.line + 1, offset: old.offset, ino: old.ino, problem: 'incomplete last line (the mailbox was moved or replaced before it ended)'}]
			: [];
		fs.closeSync(old.fd);
		if (next) {
			this.onBatch(leftovers, position(next));
		} else if (leftovers.length > 0) {
			this.onBatch(leftovers, {...position(old), offset: old.readPos, line: old.line + 1});
		}

		this.current = next;
	}

	private openAt(stat: fs.Stats, offset: number, line = 0, file = this.file): Open {
		const fd = fs.openSync(file, 'r');
		return {fd, dev: stat.dev, ino: stat.ino, offset, line, readPos: offset, pending: [], pendingBytes: 0, tooLong: false};
	}

	private reset(open: Open, offset = 0, line = 0): void {
		Object.assign(open, {offset, line, readPos: offset, pending: [], pendingBytes: 0, tooLong: false});
	}

	/** Read to the end of the file, handing over each chunk's complete lines with the position after them. */
	private drain(open: Open): void {
		for (;;) {
			const chunkStart = open.readPos;
			const bytes = fs.readSync(open.fd, this.buffer, 0, this.buffer.length, chunkStart);
			if (bytes === 0) {
				return;
			}

			open.readPos += bytes;
			const lines = this.split(open, this.buffer.subarray(0, bytes), chunkStart);
			if (lines.length === 0) {
				continue;
			}

			const committed = {offset: open.offset, line: open.line};
			const last = lines.at(-1)!;
			const after = {dev: open.dev, ino: open.ino, offset: last.end, line: last.line};
			try {
				this.onBatch(lines.map(({end: _end, ...line}) => line), after);
			} catch (error) {
				this.reset(open, committed.offset, committed.line);
				throw error;
			}

			open.offset = after.offset;
			open.line = after.line;
		}
	}

	private split(open: Open, chunk: Buffer, chunkStart: number): Array<RawLine & {end: number}> {
		const lines: Array<RawLine & {end: number}> = [];
		let from = 0;
		// Everything before `open.offset` has been handed over, so the next line starts there.
		let lineStart = open.offset;
		for (let newline = chunk.indexOf(10, from); newline !== -1; newline = chunk.indexOf(10, from)) {
			const piece = chunk.subarray(from, newline);
			const number = open.line + lines.length + 1;
			const end = chunkStart + newline + 1;
			if (open.tooLong || open.pendingBytes + piece.length > this.maxLineBytes) {
				lines.push({line: number, offset: lineStart, ino: open.ino, end, problem: `line too long (over ${this.maxLineBytes} bytes)`});
			} else {
				const bytes = open.pendingBytes === 0 ? piece : Buffer.concat([...open.pending, piece]);
				lines.push({line: number, offset: lineStart, ino: open.ino, end, ...decode(bytes)});
			}

			open.pending = [];
			open.pendingBytes = 0;
			open.tooLong = false;
			lineStart = end;
			from = newline + 1;
		}

		const rest = chunk.subarray(from);
		if (rest.length > 0 && !open.tooLong) {
			if (open.pendingBytes + rest.length > this.maxLineBytes) {
				open.pending = [];
				open.pendingBytes = 0;
				open.tooLong = true;
			} else {
				open.pending.push(Buffer.from(rest));
				open.pendingBytes += rest.length;
			}
		}

		return lines;
	}
}

function decode(bytes: Buffer): {text: string} | {problem: string} {
	try {
		return {text: utf8.decode(bytes)};
	} catch {
		return {problem: 'not valid UTF-8'};
	}
}

function position(open: Open): FilePosition {
	return {dev: open.dev, ino: open.ino, offset: open.offset, line: open.line};
}

function statOrUndefined(file: string): fs.Stats | undefined {
	try {
		return fs.statSync(file);
	} catch {
		return undefined;
	}
}
