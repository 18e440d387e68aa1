import fs from 'node:fs';
import {locate, rotatedChain, truncatedChain} from './locate.js';
import {ReadBuffer} from './read-buffer.js';
import {closeAll, closeSegment, type FilePosition, holdsAt, openSegment, positionOf, sameFile, type Segment} from './segments.js';
import type {Chunk, FollowerOptions} from './options.js';
import {wakeOnChange} from './wake.js';

export type {Chunk, FollowerOptions} from './options.js';

/** Bytes remembered from before the read offset, to notice a truncated and refilled file. */
const tailBytes = 64;
/** Bytes read in one pass before the event loop gets a turn. */
const passBytes = 8 * 1024 * 1024;

/**
 * Follows one file by byte offset and file identity (dev, ino), like `tail -F`, without ever
 * losing or repeating a line — the one follower behind the log watcher and the mailbox ingest:
 * - rename rotation: the old file is read to its end through its open descriptor, then every newer
 *   rotated sibling (`file.N` … `file.1`), then the new file from its start — also when several
 *   rotations happened in between, and when the old file was moved elsewhere (an archive);
 * - truncation (in place or copytruncate): noticed by size or by the bytes before the offset
 *   changing; the rotated copy holding the unread rest is read first when there is one;
 * - a missing file is waited for and read from its beginning; a replaced file likewise;
 * - resume: from a stored position, also when that file was rotated or moved meanwhile.
 * Reads are synchronous passes (`check()`), woken by fs.watch on the folder with a poll as a safety net.
 */
export class FileFollower {
	private current?: Segment;
	private queue: Segment[] = [];
	private tail = Buffer.alloc(0);
	private readonly reader: ReadBuffer;
	private readonly buffer: Buffer;
	private reading = false;
	private stopped = false;
	private scheduled?: Promise<void>;
	private unwatch?: () => void;
	/** The condition last reported through onError, so a lasting one is reported once, not every poll. */
	private failing?: string;

	constructor(private readonly options: FollowerOptions) {
		this.reader = options.buffer ?? new ReadBuffer(options.chunkSize ?? 1024 * 1024);
		this.buffer = this.reader.data;
	}

	/** Open the file at its resume position (or per `from`), read what is there, then follow changes. */
	start(): void {
		[this.current, ...this.queue] = locate(this.options);
		this.unwatch = wakeOnChange(this.options.file, this.options.pollInterval ?? 250, () => {
			this.kick();
		});
		this.check();
	}

	/** The current read position, or undefined while the file does not exist. */
	position(): FilePosition | undefined {
		return this.current && positionOf(this.current);
	}

	/** Read whatever is new now, synchronously. Passes never overlap; a call during one does nothing. */
	check(): void {
		if (this.reading || this.stopped) {
			return;
		}

		this.reading = true;
		let idle: boolean | undefined;
		try {
			idle = this.pass();
			if (this.failing !== undefined) {
				this.failing = undefined;
				this.options.onRecover?.();
			}
		} catch (error) {
			// Retried on the next wake-up (watch or poll), not at once: a failing handler must not spin.
			const condition = `${(error as NodeJS.ErrnoException).code ?? ''} ${error instanceof Error ? error.message : String(error)}`;
			if (condition !== this.failing) {
				this.failing = condition;
				this.options.onError?.(error);
			}
		} finally {
			this.reading = false;
		}

		if (this.stopped) {
			this.close();
		} else if (idle === true) {
			this.options.onIdle?.();
		} else if (idle === false) {
			this.kick();
		}
	}

	/** Read on the next turn of the event loop (several kicks make one pass). */
	kick(): void {
		this.scheduled ??= new Promise(resolve => {
			setImmediate(() => {
				this.scheduled = undefined;
				this.check();
				resolve();
			});
		});
	}

	/** Wait for the pass that is scheduled (if any) to finish. */
	async settled(): Promise<void> {
		while (this.scheduled) {
			await this.scheduled;
		}
	}

	stop(): void {
		this.stopped = true;
		this.unwatch?.();
		if (!this.reading) {
			this.close();
		}
	}

	private close(): void {
		closeAll([...this.queue, ...(this.current ? [this.current] : [])]);
		this.queue = [];
		this.current = undefined;
	}

	/** One pass; true when everything readable has been read. */
	private pass(): boolean {
		if (!this.current) {
			const next = this.queue.shift() ?? openSegment(this.options.file);
			if (!next) {
				return true;
			}

			this.enter(next);
		}

		for (;;) {
			// Truncated and refilled since the last read: reading on at the old offset would start mid-line.
			if (!holdsAt(this.current!, this.tail) && this.relocateTruncated()) {
				continue;
			}

			if (!this.drain(this.current!, passBytes)) {
				return false;
			}

			if (this.stopped) {
				return true;
			}

			if (this.queue.length > 0) {
				this.leave(true);
				this.enter(this.queue.shift()!);
				continue;
			}

			if (!this.checkPrimary()) {
				return true;
			}
		}
	}

	/** Look at what the path names now; returns true when reading moved to another segment. */
	private checkPrimary(): boolean {
		const current = this.current!;
		let stat: fs.Stats;
		try {
			stat = fs.statSync(this.options.file);
		} catch {
			// Missing for now (mid-rotation, or removed): the current file is kept until a new one appears.
			return false;
		}

		if (!stat.isFile()) {
			// Briefly a folder or something else: wait for a regular file to come back.
			return false;
		}

		if (sameFile(stat, current)) {
			return (stat.size < current.offset || !holdsAt(current, this.tail)) && this.relocateTruncated();
		}

		// A new empty file: its writer may still be finishing the old one.
		return stat.size > 0 && this.relocateRotated();
	}

	private relocateRotated(): boolean {
		return this.switchTo(rotatedChain(this.options.file, this.current!), true);
	}

	private relocateTruncated(): boolean {
		return this.switchTo(truncatedChain(this.options.file, this.current!, this.tail), false);
	}

	/** Leave the current segment (finishing it when `finished`) for `chain`, oldest first. */
	private switchTo(chain: Segment[], finished: boolean): boolean {
		if (chain.length === 0) {
			return false;
		}

		try {
			this.leave(finished);
		} catch (error) {
			closeAll(chain);
			throw error;
		}

		this.queue = chain;
		this.enter(this.queue.shift()!);
		return true;
	}

	/** Read complete lines from `segment` up to its end; false when `limit` bytes were read first. */
	private drain(segment: Segment, limit = Number.POSITIVE_INFINITY): boolean {
		const {buffer} = this;
		for (let total = 0; !this.stopped; total += buffer.length) {
			if (total >= limit) {
				return false;
			}

			const bytes = fs.readSync(segment.fd, buffer, 0, buffer.length, segment.offset);
			if (bytes === 0) {
				return true;
			}

			const end = buffer.lastIndexOf(10, bytes - 1) + 1;
			if (end > 0) {
				this.deliver(segment, end);
			} else if (bytes === buffer.length) {
				this.deliver(segment, bytes, 'long');
			}

			if (bytes < buffer.length) {
				return true;
			}
		}

		return true;
	}

	private deliver(segment: Segment, end: number, cut?: Chunk['cut']): void {
		const data = this.buffer.subarray(0, end);
		const from = positionOf(segment);
		const lines = this.options.countLines === false ? 0 : this.reader.newlines(data) + (cut === 'unterminated' ? 1 : 0);
		const position = {...from, offset: from.offset + end, line: from.line + lines};
		this.options.onChunk({data, from, position, cut});
		segment.offset = position.offset;
		segment.line = position.line;
		this.tail = Buffer.from(data.subarray(Math.max(0, end - tailBytes)));
	}

	/** Start reading `segment`; its position is handed over at once so a consumer can store it. */
	private enter(segment: Segment): void {
		this.current = segment;
		this.tail = Buffer.alloc(0);
		const position = positionOf(segment);
		this.options.onChunk({data: this.buffer.subarray(0, 0), from: position, position});
	}

	/** Done with the current segment: a last line without "\n" counts when the file is finished. */
	private leave(finished: boolean): void {
		const segment = this.current!;
		if (finished) {
			this.drain(segment);
			const bytes = fs.readSync(segment.fd, this.buffer, 0, this.buffer.length, segment.offset);
			if (bytes > 0) {
				this.deliver(segment, bytes, this.buffer[bytes - 1] === 10 ? undefined : 'unterminated');
			}
		}

		this.current = undefined;
		this.tail = Buffer.alloc(0);
		closeSegment(segment);
	}
}
