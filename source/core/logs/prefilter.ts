/**
 * A literal prefilter for the log matcher: the raw bytes of a chunk are searched for literals that
 * every match must contain, and only the lines around a hit (plus the lines that may continue a
 * traceback) are decoded and given to the full pattern. A chunk without a hit costs one pass of a
 * multi-literal Horspool search and no decoding.
 */

const special = new Set([...'\\^$.|?*+()[]{}']);

/**
 * The literals one of which every match of `patterns` contains, or undefined when some pattern is
 * not a plain literal, a word-bounded literal or an alternation of literals (then there is no
 * prefilter and every byte goes through the full pattern).
 */
export function requiredLiterals(patterns: readonly string[]): string[] | undefined {
	const literals: string[] = [];
	for (const pattern of patterns) {
		let body = pattern.replaceAll(String.raw`\b`, '');
		body = body.startsWith('^') ? body.slice(1) : body;
		body = body.endsWith('$') && !body.endsWith(String.raw`\$`) ? body.slice(0, -1) : body;
		const group = /^\((?:\?:)?([^()]*)\)$/.exec(body);
		const alternatives = group ? group[1]!.split('|') : [body];
		for (const alternative of alternatives) {
			const literal = unescape(alternative);
			if (literal === undefined || literal === '') {
				return undefined;
			}

			literals.push(literal);
		}
	}

	return literals.length > 0 ? literals : undefined;
}

/** The text `source` matches when it has no regex syntax but escaped punctuation; undefined otherwise. */
function unescape(source: string): string | undefined {
	let text = '';
	for (let index = 0; index < source.length; index++) {
		const char = source[index]!;
		if (char === '\\') {
			const next = source[index + 1];
			if (next === undefined || /[\dA-Za-z]/.test(next)) {
				return undefined;
			}

			text += next;
			index++;
		} else if (special.has(char)) {
			return undefined;
		} else {
			text += char;
		}
	}

	return text;
}

/** Horspool's search for several literals at once, over the first `m` bytes of each (m = the shortest). */
export class LiteralSearch {
	private readonly needles: Buffer[];
	private readonly m: number;
	private readonly shift = new Uint8Array(256);
	private readonly endingIn: Buffer[][] = Array.from({length: 256}, () => []);

	constructor(literals: readonly string[]) {
		this.needles = literals.map(literal => Buffer.from(literal, 'utf8'));
		this.m = Math.min(255, ...this.needles.map(needle => needle.length));
		this.shift.fill(this.m);
		for (const needle of this.needles) {
			for (let index = 0; index < this.m - 1; index++) {
				this.shift[needle[index]!] = Math.min(this.shift[needle[index]!]!, this.m - 1 - index);
			}

			this.shift[needle[this.m - 1]!] = 0;
			this.endingIn[needle[this.m - 1]!]!.push(needle);
		}
	}

	/** Offset of the first literal starting at or after `from` and ending before `to`, or -1. */
	next(data: Buffer, from: number, to = data.length): number {
		const {m, shift, endingIn} = this;
		for (let index = from + m - 1; index < to;) {
			const byte = data[index]!;
			const step = shift[byte]!;
			if (step !== 0) {
				index += step;
				continue;
			}

			const start = index - m + 1;
			for (const needle of endingIn[byte]!) {
				if (start + needle.length <= to && matchesAt(data, start, needle)) {
					return start;
				}
			}

			index++;
		}

		return -1;
	}
}

function matchesAt(data: Buffer, start: number, needle: Buffer): boolean {
	for (let index = 0; index < needle.length; index++) {
		if (data[start + index] !== needle[index]) {
			return false;
		}
	}

	return true;
}

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
 */
export function candidateRanges(data: Buffer, search: LiteralSearch, open: boolean): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	const extend = (from: number): number => {
		let position = from;
		while (position < data.length) {
			const end = lineEnd(data, position);
			const continues = mayContinue(data, position, end);
			const hit = !continues && search.next(data, position, end) !== -1;
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

	for (let hit = search.next(data, position); hit !== -1; hit = search.next(data, position)) {
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
export function chunkTexts(data: Buffer, cut: boolean, search: LiteralSearch | undefined, open: boolean): string[] {
	if (!search) {
		return [data.toString('utf8') + (cut ? '\n' : '')];
	}

	return candidateRanges(data, search, open).map(([start, end]) => data.toString('utf8', start, end) + (cut && end === data.length ? '\n' : ''));
}
