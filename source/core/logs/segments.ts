import fs from 'node:fs';
import type {FileHandle} from 'node:fs/promises';

/** Where reading stands in one file: its identity and the byte offset after the last whole line read. */
export interface FilePosition {
	dev: number;
	ino: number;
	offset: number;
}

/** An open file being (or to be) read, pinned by its handle so rotation or deletion cannot take it away. */
export interface Segment extends FilePosition {
	/** The name it had when opened. */
	name: string;
	handle: FileHandle;
	size: number;
}

/** How many rotated siblings (`file.1` … `file.N`) are looked at. */
const maxSiblings = 50;

/** Open `file` as a segment, or undefined when it does not exist. */
export async function openSegment(file: string): Promise<Segment | undefined> {
	let handle: FileHandle;
	try {
		handle = await fs.promises.open(file, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}

	const stat = await handle.stat();
	return {name: file, handle, dev: stat.dev, ino: stat.ino, size: stat.size, offset: 0};
}

/**
 * The file and its rotated siblings, newest first (`file`, `file.1`, `file.2`, …), each opened
 * once. Rotation renames files to higher numbers, so opening in increasing order sees every file
 * at least once even while a rotation runs; a file seen twice keeps its first (newer) place.
 */
export async function openCandidates(file: string): Promise<Segment[]> {
	const found: Segment[] = [];
	for (let index = 0; index <= maxSiblings; index++) {
		const segment = await openSegment(index === 0 ? file : `${file}.${index}`);
		if (!segment) {
			if (index > 0) {
				break;
			}

			continue;
		}

		if (found.some(other => sameFile(other, segment))) {
			await segment.handle.close();
		} else {
			found.push(segment);
		}
	}

	return found;
}

export function sameFile(a: {dev: number; ino: number}, b: {dev: number; ino: number}): boolean {
	return a.dev === b.dev && a.ino === b.ino;
}

/** Close the segments not kept. */
export async function closeAll(segments: readonly Segment[], keep: readonly Segment[] = []): Promise<void> {
	await Promise.all(segments.filter(segment => !keep.includes(segment)).map(async segment => segment.handle.close().catch(() => undefined)));
}

/** True when `segment` holds exactly `bytes` right before `offset`. */
export async function holdsAt(segment: Segment, bytes: Buffer, offset: number): Promise<boolean> {
	if (offset < bytes.length) {
		return false;
	}

	const buffer = Buffer.alloc(bytes.length);
	const {bytesRead} = await segment.handle.read(buffer, 0, bytes.length, offset - bytes.length);
	return bytesRead === bytes.length && buffer.equals(bytes);
}
