/**
 * A literal prefilter for the log matcher: the raw bytes of a chunk are searched for literals that
 * every match must contain, and only the lines around a hit (plus the lines that may continue a
 * traceback) are decoded and given to the full pattern. A chunk without a hit costs one native
 * or SIMD search per literal and no decoding.
 */
import type {ReadBuffer} from '../files/read-buffer.js';
import {type LiteralHits, type LiteralSearch, matchesAt} from './literal-search.js';

export {requiredLiterals} from './literals.js';
export {LiteralSearch} from './literal-search.js';

const continuationStarts = ['at ', 'Caused by:', 'Traceback (most recent call last)'].map(text => Buffer.from(text));

/** A line that may continue a match (the matcher decides): indented, a JS `at …`, a cause, a traceback. */
function mayContinue(data: Buffer, start: number, end: number): boolean {
	const first = data[start];
	return first === 0x20 || first === 0x09 || continuationStarts.some(prefix => end - start >= prefix.length && matchesAt(data, start, prefix));
}

function lineEnd(data: Buffer, from: number): number {
	const newline = data.indexOf(10, from);
	return newline === -1 ? data.length : newline + 1;
}

/**
 * Byte ranges of `data` (whole lines) that hold every line the full pattern could match and every
 * line that could continue such a match, in order. `open`: the matcher holds an open group, so the
 * chunk's first lines may continue it. Each range ends after the first line that can neither
 * continue the group nor start a new match, so the matcher closes every group inside its range.
 * `reader`: the read buffer `data` lies in (its SIMD search is used).
 */
export function candidateRanges(data: Buffer, search: LiteralSearch, open: boolean, reader?: ReadBuffer): Array<[number, number]> {
	const hits: LiteralHits = search.hits(data, reader);
	const ranges: Array<[number, number]> = [];
	const extend = (from: number): number => {
		let position = from;
		while (position < data.length) {
			const end = lineEnd(data, position);
			const continues = mayContinue(data, position, end);
			const hit = !continues && hits.next(position, end) !== -1;
			position = end;
			if (!continues && !hit) {
				break;
			}
		}

		return position;
	};

	let position = 0;
	if (open) {
		position = extend(0);
		ranges.push([0, position]);
	}

	for (let hit = hits.next(position); hit !== -1; hit = hits.next(position)) {
		const start = hit === 0 ? 0 : data.lastIndexOf(10, hit - 1) + 1;
		const end = extend(lineEnd(data, hit));
		const last = ranges.at(-1);
		if (last && start <= last[1]) {
			last[1] = end;
		} else {
			ranges.push([start, end]);
		}

		position = end;
	}

	return ranges;
}

/**
 * The text of a chunk the matcher has to scan: all of it without a prefilter, else only its
 * candidate ranges, each decoded alone (ranges are whole lines, so never cut a UTF-8 sequence).
 * A cut chunk (a line longer than the read size) gets the "\n" the matcher expects.
 */
export function chunkTexts(data: Buffer, cut: boolean, search: LiteralSearch | undefined, open: boolean, reader?: ReadBuffer): string[] {
	if (!search) {
		return [data.toString('utf8') + (cut ? '\n' : '')];
	}

	return candidateRanges(data, search, open, reader).map(([start, end]) => data.toString('utf8', start, end) + (cut && end === data.length ? '\n' : ''));
}
