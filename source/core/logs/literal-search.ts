import type {ReadBuffer} from '../files/read-buffer.js';
import {type Anchor, ByteCounts} from './anchors.js';

/**
 * Bytes of a young log counted to learn which bytes are rare. Logs repeat their shape (timestamps,
 * levels, field names), so their first quarter megabyte tells which bytes of each literal are rare.
 */
const learnBytes = 256 * 1024;
/** Bytes counted from the start of each chunk while the log is young, and after that (a log may change its shape). */
const youngSample = 32 * 1024;
const laterSample = 4 * 1024;

/**
 * Searches the raw bytes of a log for several literals at once, each through its own anchor (see
 * `Anchor`) and checked in full where the anchor occurs: a literal with a byte the log seldom
 * holds is found with memchr at memory speed; one made of common bytes (an ISO timestamp puts a
 * `T` on every line, an `e` is everywhere) with the SIMD pair search of the read buffer. A JS byte
 * loop (Horspool over all literals) ran at about 1 GB/s.
 */
export class LiteralSearch {
	private readonly needles: Buffer[];
	private readonly counts = new ByteCounts();
	private learned = 0;
	private anchors: Anchor[];

	constructor(literals: readonly string[]) {
		this.needles = literals.map(literal => Buffer.from(literal, 'utf8'));
		this.anchors = this.needles.map(needle => this.counts.anchor(needle));
	}

	/**
	 * The hits in `data`, found lazily in order, with anchors learned from the log so far and a
	 * sample of `data`. `reader`: the read buffer `data` lies in, whose pair search is used when it
	 * runs as SIMD.
	 */
	hits(data: Buffer, reader?: ReadBuffer): LiteralHits {
		if (data.length > 0) {
			const sample = data.subarray(0, this.learned < learnBytes ? youngSample : laterSample);
			this.counts.add(sample);
			this.learned += sample.length;
			this.anchors = this.needles.map(needle => this.counts.anchor(needle));
		}

		const pairs = reader?.simd === true && data.buffer === reader.data.buffer ? reader : undefined;
		return new LiteralHits(data, this.needles, this.anchors, pairs);
	}

	/** How each literal is searched for now, as text: its memchr byte, or its two pair bytes. */
	get anchorBytes(): string[] {
		const text = (byte: number) => String.fromCodePoint(byte);
		return this.anchors.map(({at, pair}, index) => pair ? text(pair[1]) + text(pair[3]) : text(this.needles[index]![at]!));
	}
}

/**
 * The literals' occurrences in one buffer. Each needle's next occurrence is remembered, so asking
 * with ascending `from` (as the prefilter does) searches every byte once per needle.
 */
export class LiteralHits {
	/** Per needle: its first occurrence at or after the last `from` asked (-1: none; -2: not searched yet). */
	private readonly found: number[];

	constructor(private readonly data: Buffer, private readonly needles: readonly Buffer[], private readonly anchors: readonly Anchor[], private readonly reader?: ReadBuffer) {
		this.found = needles.map(() => -2);
	}

	/** Offset of the first literal starting at or after `from` and ending by `to`, or -1. `from` must not go back. */
	next(from: number, to = this.data.length): number {
		let first = -1;
		for (let index = 0; index < this.needles.length; index++) {
			let hit = this.found[index]!;
			if (hit !== -1 && hit < from) {
				hit = this.find(index, from);
				this.found[index] = hit;
			}

			if (hit !== -1 && hit + this.needles[index]!.length <= to && (first === -1 || hit < first)) {
				first = hit;
			}
		}

		return first;
	}

	private find(index: number, from: number): number {
		const {data, reader} = this;
		const needle = this.needles[index]!;
		const {at: anchor, pair} = this.anchors[index]!;
		if (pair && reader) {
			const [i1, b1, i2, b2] = pair;
			for (let start = reader.pair(data, from, i1, b1, i2, b2); start !== -1; start = reader.pair(data, start + 1, i1, b1, i2, b2)) {
				if (matchesAt(data, start, needle)) {
					return start;
				}
			}

			return -1;
		}

		const byte = needle[anchor]!;
		const last = data.length - needle.length + anchor;
		for (let at = data.indexOf(byte, from + anchor); at !== -1 && at <= last; at = data.indexOf(byte, at + 1)) {
			if (matchesAt(data, at - anchor, needle)) {
				return at - anchor;
			}
		}

		return -1;
	}
}

/** True when `data` holds `needle` at `start`. */
export function matchesAt(data: Buffer, start: number, needle: Buffer): boolean {
	for (let index = 0; index < needle.length; index++) {
		if (data[start + index] !== needle[index]) {
			return false;
		}
	}

	return true;
}
