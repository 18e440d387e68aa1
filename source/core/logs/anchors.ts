/**
 * Below this share of the log's bytes, a literal's rarest byte is found with memchr (about 10 ns
 * per occurrence on top of 20 ms per GB); above it, the SIMD pair search (about 40 ms per GB
 * whatever the bytes) costs less.
 */
const memchrRate = 1 / 512;

/** How a literal is looked for in raw bytes. */
export interface Anchor {
	/** Index of the literal's rarest byte, found with `Buffer.indexOf` (memchr) and checked in full where it occurs. */
	at: number;
	/** When the rarest byte is not rare: the two rarest bytes at their distance, `[i1, b1, i2, b2]`, i1 < i2. */
	pair?: [number, number, number, number];
}

/** How often each byte value occurs in a log, learned from samples of it. */
export class ByteCounts {
	/** A prior for bytes not seen yet (text is mostly spaces, lower case and digits), plus what was counted. */
	private readonly counts = prior();
	private total = this.counts.reduce((sum, count) => sum + count, 0);

	add(sample: Buffer): void {
		const {counts} = this;
		for (let index = 0; index < sample.length; index++) {
			counts[sample[index]!]++;
		}

		this.total += sample.length;
	}

	anchor(needle: Buffer): Anchor {
		const at = this.rarest(needle);
		if (needle.length < 2 || this.counts[needle[at]!]! / this.total <= memchrRate) {
			return {at};
		}

		const other = this.rarest(needle, at);
		const [i1, i2] = at < other ? [at, other] : [other, at];
		return {at, pair: [i1, needle[i1]!, i2, needle[i2]!]};
	}

	/** Index of the byte of `needle` with the lowest count, other than index `except`. */
	private rarest(needle: Buffer, except = -1): number {
		let best = -1;
		for (let index = 0; index < needle.length; index++) {
			if (index !== except && (best === -1 || this.counts[needle[index]!]! < this.counts[needle[best]!]!)) {
				best = index;
			}
		}

		return best;
	}
}

function prior(): Float64Array {
	const counts = new Float64Array(256).fill(0.5);
	for (let byte = 0; byte < 128; byte++) {
		const char = String.fromCodePoint(byte);
		counts[byte] = char === ' ' ? 8 : /[a-z]/.test(char) ? 4 : /\d/.test(char) ? 2 : /[A-Z]/.test(char) ? 1 : 0.5;
	}

	return counts;
}
