import {CmuxError} from '../errors.js';
import type {FollowerOptions} from './options.js';
import {closeAll, type FilePosition, holdsAt, openCandidates, openSegment, sameFile, type Segment} from './segments.js';

/**
 * Which segments to read, oldest first, each opened at the offset to read from: on start
 * (`locate`), after a rename (`rotatedChain`), after a truncation (`truncatedChain`).
 *
 * On start:
 * - no resume position: the file at its end (`from: 'end'`) or its start (`from: 'start'`);
 * - the same file: on where we stopped (from 0 when it is now shorter: truncated while down);
 * - rotated meanwhile: that file to its end, then every newer sibling, then the file;
 * - moved elsewhere (found by `findMoved`): that file to its end, then the file;
 * - gone: the file from its start, with a warning that what was unread in the old one is lost.
 */
export function locate(options: FollowerOptions): Segment[] {
	const {file, resume} = options;
	if (!resume) {
		const segment = openSegment(file);
		if (segment && options.from !== 'start') {
			segment.offset = segment.size;
		}

		return segment ? [segment] : [];
	}

	const candidates = openCandidates(file);
	const index = candidates.findIndex(candidate => sameFile(candidate, resume));
	if (index >= 0) {
		const chain = candidates.slice(0, index + 1).reverse();
		closeAll(candidates, chain);
		resumeAt(chain[0]!, resume);
		return chain;
	}

	const primary = candidates.find(candidate => candidate.name === file);
	closeAll(candidates, primary ? [primary] : []);
	const movedName = options.findMoved?.(resume);
	const moved = movedName === undefined ? undefined : openSegment(movedName);
	if (moved && sameFile(moved, resume)) {
		resumeAt(moved, resume);
		return primary ? [moved, primary] : [moved];
	}

	if (moved) {
		closeAll([moved]);
	}

	if (primary) {
		options.onError?.(new CmuxError(`${file} was replaced and its previous file (inode ${resume.ino}) is gone; reading the new one from the start`));
		return [primary];
	}

	return [];
}

/**
 * After `current` was renamed away: every file newer than it, oldest first (`file.N` … `file.1`,
 * `file`), or just `file` when `current` is no longer among the rotated siblings (moved, replaced).
 */
export function rotatedChain(file: string, current: Segment): Segment[] {
	const candidates = openCandidates(file);
	const index = candidates.findIndex(candidate => sameFile(candidate, current));
	const newer = index === -1 ? candidates.filter(candidate => candidate.name === file) : candidates.slice(0, index);
	closeAll(candidates, newer);
	return newer.reverse();
}

/**
 * After `current` was truncated: `file` from its start — preceded, after a copytruncate, by the
 * rotated copy that holds `tail` (the bytes last read) at the old offset, read on from there.
 */
export function truncatedChain(file: string, current: Segment, tail: Buffer): Segment[] {
	const candidates = openCandidates(file);
	let chain = candidates.filter(candidate => candidate.name === file);
	if (tail.length > 0) {
		for (let index = 1; index < candidates.length; index++) {
			const copy = candidates[index]!;
			if (copy.size >= current.offset && holdsAt(copy, tail, current.offset)) {
				// copytruncate: the copy holds what we had not read yet.
				Object.assign(copy, {offset: current.offset, line: current.line});
				chain = candidates.slice(0, index + 1).reverse();
				break;
			}
		}
	}

	closeAll(candidates, chain);
	return chain;
}

function resumeAt(segment: Segment, resume: FilePosition): void {
	const fits = resume.offset <= segment.size;
	segment.offset = fits ? resume.offset : 0;
	segment.line = fits ? resume.line : 0;
}
