import type {FollowerOptions} from './follower.js';
import {closeAll, type FilePosition, openCandidates, openSegment, sameFile, type Segment} from './segments.js';

/**
 * The segments to read on start, oldest first, each opened at the offset to read from:
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
		options.onError?.(new Error(`${file} was replaced and its previous file (inode ${resume.ino}) is gone; reading the new one from the start`));
		return [primary];
	}

	return [];
}

function resumeAt(segment: Segment, resume: FilePosition): void {
	const fits = resume.offset <= segment.size;
	segment.offset = fits ? resume.offset : 0;
	segment.line = fits ? resume.line : 0;
}
