import fs from 'node:fs';
import {closeAll, type FilePosition, holdsAt, openCandidates, openSegment, sameFile, type Segment} from './segments.js';
import {wakeOnChange} from './wake.js';

export interface FollowerOptions {
	/** Absolute path of the log file. */
	file: string;
	/** Where a previous run stopped; absent on the very first start (existing content is skipped). */
	resume?: FilePosition;
	/** Complete lines (each ending in "\n"), in file order; `position` is right after them. Awaited. */
	onLines(text: string, position: FilePosition): void | Promise<void>;
	/** Everything readable has been read for now. */
	onIdle?(): void;
	onError?(error: unknown): void;
	/** Bytes per read (default 1 MiB); a line longer than this is split. */
	chunkSize?: number;
	/** Safety poll besides fs.watch (default 250 ms). */
	pollInterval?: number;
}

/** Bytes remembered from before the read offset, to notice a truncated and refilled file. */
const tailBytes = 64;

/**
 * Follows one log file by byte offset and file identity (dev, ino), like `tail -F`, without ever
 * losing or repeating a line:
 * - rename rotation: the old file is read to its end through its open handle, then every newer
 *   rotated sibling (`file.N` … `file.1`), then the new file from its start — also when several
 *   rotations happened in between;
 * - truncation (in place or copytruncate): noticed by size or by the bytes before the offset
 *   changing; the rotated copy holding the unread rest is read first when there is one;
 * - a missing file is waited for and read from its beginning; a replaced file likewise.
 * Woken by fs.watch on the folder, with a poll as a safety net.
 */
export class LogFollower {
	private current?: Segment;
	private queue: Segment[] = [];
	private tail = Buffer.alloc(0);
	private readonly buffer: Buffer;
	private busy = false;
	private again = false;
	private stopped = false;
	private done: Promise<void> = Promise.resolve();
	private unwatch?: () => void;

	constructor(private readonly options: FollowerOptions) {
		this.buffer = Buffer.allocUnsafe(options.chunkSize ?? 1024 * 1024);
	}

	/** Open the file at its resume position (or its end on a first start) and begin following. */
	async start(): Promise<void> {
		await this.locate();
		this.unwatch = wakeOnChange(this.options.file, this.options.pollInterval ?? 250, () => {
			this.kick();
		});
		this.kick();
	}

	/** The current read position, or undefined while the file does not exist. */
	position(): FilePosition | undefined {
		const {current} = this;
		return current && {dev: current.dev, ino: current.ino, offset: current.offset};
	}

	/** Read whatever is new now. Safe to call any time; reads never overlap. */
	kick(): void {
		this.again = true;
		if (this.busy || this.stopped) {
			return;
		}

		this.busy = true;
		this.done = this.loop();
	}

	/** Wait for the read in progress (if any) to finish. */
	async settled(): Promise<void> {
		await this.done;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.unwatch?.();
		await this.done;
		await closeAll([...this.queue, ...(this.current ? [this.current] : [])]);
		this.queue = [];
		this.current = undefined;
	}

	private async loop(): Promise<void> {
		try {
			while (this.again && !this.stopped) {
				this.again = false;
				try {
					await this.pump();
				} catch (error) {
					this.options.onError?.(error);
				}
			}
		} finally {
			this.busy = false;
		}
	}

	private async locate(): Promise<void> {
		const {file, resume} = this.options;
		if (!resume) {
			const segment = await openSegment(file);
			if (segment) {
				segment.offset = segment.size;
				this.current = segment;
			}

			return;
		}

		const candidates = await openCandidates(file);
		const index = candidates.findIndex(candidate => sameFile(candidate, resume));
		let chain: Segment[] = [];
		if (index >= 0) {
			// Same file: go on where we stopped. Rotated meanwhile: finish it, then everything newer.
			const found = candidates[index]!;
			found.offset = resume.offset <= found.size ? resume.offset : 0;
			chain = candidates.slice(0, index + 1).reverse();
		} else if (candidates[0]?.name === file) {
			// Replaced while we were down: all of it is new.
			chain = [candidates[0]];
		}

		await closeAll(candidates, chain);
		this.queue = chain;
		this.current = this.queue.shift();
	}

	private async pump(): Promise<void> {
		if (!this.current) {
			this.current = this.queue.shift() ?? await openSegment(this.options.file);
			this.tail = Buffer.alloc(0);
			if (!this.current) {
				return;
			}
		}

		for (;;) {
			// Truncated and refilled since the last read: reading on at the old offset would start mid-line.
			if (!await holdsAt(this.current!, this.tail, this.current!.offset) && await this.relocateTruncated()) {
				continue;
			}

			await this.drain(this.current!);
			if (this.stopped) {
				return;
			}

			if (this.queue.length > 0) {
				await this.leave(true);
				this.current = this.queue.shift();
				continue;
			}

			if (!await this.checkPrimary()) {
				break;
			}
		}

		this.options.onIdle?.();
	}

	/** Look at what the path names now; returns true when reading moved to another segment. */
	private async checkPrimary(): Promise<boolean> {
		const current = this.current!;
		let stat: fs.Stats;
		try {
			stat = await fs.promises.stat(this.options.file);
		} catch {
			return false;
		}

		if (sameFile(stat, current)) {
			if (stat.size >= current.offset && await holdsAt(current, this.tail, current.offset)) {
				return false;
			}

			return this.relocateTruncated();
		}

		// A new empty file: its writer may still be finishing the old one.
		if (stat.size === 0) {
			return false;
		}

		await this.drain(current);
		return this.relocateRotated();
	}

	private async relocateRotated(): Promise<boolean> {
		const current = this.current!;
		const candidates = await openCandidates(this.options.file);
		const index = candidates.findIndex(candidate => sameFile(candidate, current));
		const newer = index === -1 ? candidates.filter(candidate => candidate.name === this.options.file) : candidates.slice(0, index);
		await closeAll(candidates, newer);
		if (newer.length === 0) {
			return false;
		}

		await this.leave(true);
		this.queue = newer.reverse();
		this.current = this.queue.shift();
		return true;
	}

	private async relocateTruncated(): Promise<boolean> {
		const current = this.current!;
		const candidates = await openCandidates(this.options.file);
		let chain = candidates.filter(candidate => candidate.name === this.options.file);
		if (this.tail.length > 0) {
			for (let index = 1; index < candidates.length; index++) {
				const copy = candidates[index]!;
				if (copy.size >= current.offset && await holdsAt(copy, this.tail, current.offset)) {
					// copytruncate: the copy holds what we had not read yet.
					copy.offset = current.offset;
					chain = candidates.slice(0, index + 1).reverse();
					break;
				}
			}
		}

		await closeAll(candidates, chain);
		if (chain.length === 0) {
			return false;
		}

		await this.leave(false);
		this.queue = chain;
		this.current = this.queue.shift();
		return true;
	}

	/** Read complete lines from `segment` up to its current end. */
	private async drain(segment: Segment): Promise<void> {
		const {buffer} = this;
		while (!this.stopped) {
			const {bytesRead} = await segment.handle.read(buffer, 0, buffer.length, segment.offset);
			if (bytesRead === 0) {
				return;
			}

			let end = buffer.lastIndexOf(10, bytesRead - 1) + 1;
			if (end === 0 && bytesRead < buffer.length) {
				return;
			}

			const split = end === 0;
			end = split ? bytesRead : end;
			await this.deliver(segment, end, split);
			if (bytesRead < buffer.length) {
				return;
			}
		}
	}

	private async deliver(segment: Segment, end: number, addNewline: boolean): Promise<void> {
		const text = this.buffer.toString('utf8', 0, end) + (addNewline ? '\n' : '');
		segment.offset += end;
		this.tail = Buffer.from(this.buffer.subarray(Math.max(0, end - tailBytes), end));
		await this.options.onLines(text, {dev: segment.dev, ino: segment.ino, offset: segment.offset});
	}

	/** Done with the current segment: a last line without "\n" counts when the file is finished. */
	private async leave(finished: boolean): Promise<void> {
		const segment = this.current!;
		this.current = undefined;
		if (finished) {
			const {bytesRead} = await segment.handle.read(this.buffer, 0, this.buffer.length, segment.offset);
			if (bytesRead > 0) {
				await this.deliver(segment, bytesRead, this.buffer[bytesRead - 1] !== 10);
			}
		}

		this.tail = Buffer.alloc(0);

		await segment.handle.close().catch(() => undefined);
	}
}
