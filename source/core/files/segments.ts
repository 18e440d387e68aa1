import fs from 'node:fs';
import path from 'node:path';

/** Where reading stands in one file: its identity, the byte offset after the last line read, and how many lines lie before it (when the follower counts them). */
export interface FilePosition {
	dev: number;
	ino: number;
	offset: number;
	line: number;
}

/** An open file being (or to be) read, pinned by its descriptor so rotation or deletion cannot take it away. */
export interface Segment extends FilePosition {
	/** The name it had when opened. */
	name: string;
	fd: number;
	size: number;
}

/** How many rotated siblings (`file.1` … `file.N`) are looked at. */
const maxSiblings = 50;

/** Open `file` as a segment at offset 0, or undefined when it does not exist. */
export function openSegment(file: string): Segment | undefined {
	let fd: number;
	try {
		// Non-blocking: a FIFO at the path must not hang the process in open().
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}

	const stat = fs.fstatSync(fd);
	if (!stat.isFile()) {
		// A folder, FIFO or device is no file to follow: treated like no file yet, so the follower
		// keeps waiting for a real one instead of holding (and failing on) this.
		fs.closeSync(fd);
		return undefined;
	}

	return {name: file, fd, dev: stat.dev, ino: stat.ino, size: stat.size, offset: 0, line: 0};
}

/**
 * The file and its rotated siblings, newest first (`file`, `file.1`, `file.2`, …), each opened
 * once. Rotation renames files to higher numbers, so opening in increasing order sees every file
 * at least once even while a rotation runs; a file seen twice keeps its first (newer) place.
 */
export function openCandidates(file: string): Segment[] {
	const found: Segment[] = [];
	for (let index = 0; index <= maxSiblings; index++) {
		const segment = openSegment(index === 0 ? file : `${file}.${index}`);
		if (!segment) {
			if (index > 0) {
				break;
			}

			continue;
		}

		if (found.some(other => sameFile(other, segment))) {
			closeSegment(segment);
		} else {
			found.push(segment);
		}
	}

	return found;
}

export function positionOf(segment: Segment): FilePosition {
	return {dev: segment.dev, ino: segment.ino, offset: segment.offset, line: segment.line};
}

export function sameFile(a: {dev: number; ino: number}, b: {dev: number; ino: number}): boolean {
	return a.dev === b.dev && a.ino === b.ino;
}

export function closeSegment(segment: Segment): void {
	try {
		fs.closeSync(segment.fd);
	} catch {
		// Already closed (EBADF): closing is idempotent for the caller.
	}
}

/** Close the segments not kept. */
export function closeAll(segments: readonly Segment[], keep: readonly Segment[] = []): void {
	for (const segment of segments) {
		if (!keep.includes(segment)) {
			closeSegment(segment);
		}
	}
}

/** True when `segment` holds exactly `bytes` right before `offset`. */
export function holdsAt(segment: Segment, bytes: Buffer, offset = segment.offset): boolean {
	if (offset < bytes.length) {
		return false;
	}

	const buffer = Buffer.alloc(bytes.length);
	const read = fs.readSync(segment.fd, buffer, 0, bytes.length, offset - bytes.length);
	return read === bytes.length && buffer.equals(bytes);
}

/** The regular file in one of `folders` (not recursive) that has this identity, if any. */
export function findByIdentity(folders: readonly string[], identity: {dev: number; ino: number}): string | undefined {
	for (const folder of folders) {
		for (const name of listNames(folder)) {
			const file = path.join(folder, name);
			try {
				const stat = fs.statSync(file);
				if (stat.isFile() && sameFile(stat, identity)) {
					return file;
				}
			} catch {
				// Removed while we searched: it is not the file we look for.
			}
		}
	}

	return undefined;
}

function listNames(folder: string): string[] {
	try {
		return fs.readdirSync(folder);
	} catch {
		return [];
	}
}
