import type {ReadBuffer} from './read-buffer.js';
import type {FilePosition} from './segments.js';

/** What one read produced. `data` is a view of the follower's buffer: copy what you keep. */
export interface Chunk {
	/** Whole lines, each ending in "\n" (see `cut`); empty when only the position moved (a new file, a truncation). */
	data: Buffer;
	/** The position `data` starts at. */
	from: FilePosition;
	/** The position right after `data`: what to persist once `data` is handled. */
	position: FilePosition;
	/**
	 * `long`: `data` is a piece of a line longer than the read size, without its "\n".
	 * `unterminated`: the file was finished (rotated, moved or replaced) and its last line has no "\n".
	 */
	cut?: 'long' | 'unterminated';
}

export interface FollowerOptions {
	/** Absolute path of the followed file. */
	file: string;
	/** Where a previous run stopped. */
	resume?: FilePosition;
	/** Without `resume`: `end` skips what the file already holds (a log), `start` reads it (a queue). Default `end`. */
	from?: 'start' | 'end';
	/**
	 * Handles each chunk, in file order. The position moves past the chunk only when this returns:
	 * if it throws, the chunk is read again on the next pass (so a consumer that stores lines and
	 * position in one transaction ingests every line exactly once).
	 */
	onChunk(chunk: Chunk): void;
	/** Everything readable has been read for now. */
	onIdle?(): void;
	/** A pass failed; called once per distinct condition (not on every retry of the same failure). */
	onError?(error: unknown): void;
	/** A pass succeeded again after onError. */
	onRecover?(): void;
	/** Where the file of `resume` is now when it was moved away while nobody followed it (e.g. an archive folder). */
	findMoved?(identity: {dev: number; ino: number}): string | undefined;
	/** Bytes per read (default 1 MiB); a longer line comes in `long` pieces. */
	chunkSize?: number;
	/**
	 * Count the lines of each chunk into the position's `line` (default true). A consumer that never
	 * reads line numbers (the log watcher) turns it off and saves a pass over every byte read; its
	 * positions keep the line they started from (0 in a new file).
	 */
	countLines?: boolean;
	/** Read into this buffer instead (its size is the read size): for a consumer that scans chunks with the buffer's own loops. */
	buffer?: ReadBuffer;
	/** Safety poll besides fs.watch, in ms (default 250). */
	pollInterval?: number;
}
