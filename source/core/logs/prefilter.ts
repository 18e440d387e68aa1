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

const at = Buffer.from('at ');
const causedBy = Buffer.from('Caused by:');
const traceback = Buffer.from('Traceback (most recent call last)');

/** A line that may continue a match (the matcher decides): indented, a JS `at …`, a cause, a traceback. */
function mayContinue(data: Buffer, start: number, end: number): boolean {
	const first = data[start];
	const starts = (prefix: Buffer) => end - start >= prefix.length && matchesAt(data, start, prefix);
	return first === 0x20 || first === 0x09 || (first === 0x61 && starts(at)) || (first === 0x43 && starts(causedBy)) || (first === 0x54 && starts(traceback));
}

function lineEnd(data: Buffer, from: number): number {
	const newline = data.indexOf(10, from);
	return newline === -1 ? data.length : newline + 1;
}

/** After the line ending at `from`: the end of the lines that continue a match or hold a literal, plus the first that does neither. */
function extend(data: Buffer, hits: LiteralHits, from: number): number {
	let position = from;
	while (position < data.length) {
		const end = lineEnd(data, position);
		const goesOn = mayContinue(data, position, end) || hits.next(position, end) !== -1;
		position = end;
		if (!goesOn) {
			break;
		}
	}

	return position;
}

/**
 * Byte ranges of `data` (whole lines) that hold every line the full pattern could match and every
 * line that could continue such a match, in order, as [start, end, start, end, …]. `open`: the
 * matcher holds an open group, so the chunk's first lines may continue it. Each range ends after
 * the first line that can neither continue the group nor start a new match, so the matcher closes
 * every group inside its range. `reader`: the read buffer `data` lies in (its SIMD search is used).
 */
export function candidateRanges(data: Buffer, search: LiteralSearch, open: boolean, reader?: ReadBuffer): number[] {
	const hits = search.hits(data, reader);
	const ranges: number[] = [];
	let position = open ? extend(data, hits, 0) : 0;
	if (open) {
		ranges.push(0, position);
	}

	for (let hit = hits.next(position); hit !== -1; hit = hits.next(position)) {
		const start = hit === 0 ? 0 : data.lastIndexOf(10, hit - 1) + 1;
		const end = extend(data, hits, lineEnd(data, hit));
		if (ranges.length > 0 && start <= ranges.at(-1)!) {
			ranges[ranges.length - 1] = end;
		} else {
			ranges.push(start, end);
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

	const ranges = candidateRanges(data, search, open, reader);
	const texts: string[] = [];
	for (let index = 0; index < ranges.length; index += 2) {
		const end = ranges[index + 1]!;
		texts.push(data.toString('utf8', ranges[index], end) + (cut && end === data.length ? '\n' : ''));
	}

	return texts;
}
