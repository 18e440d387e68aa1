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

/** Counted bytes weigh this much at most: beyond it older counts are halved, so the rates follow what the log writes now. */
const memoryBytes = 1024 * 1024;

/** How often each byte value occurs in a log, learned from samples of it. */
export class ByteCounts {
	/** A prior for bytes not seen yet: text is mostly spaces, lower case and digits. */
	private readonly prior = prior();
	private readonly priorTotal = this.prior.reduce((sum, count) => sum + count, 0);
	private readonly seen = new Float64Array(256);
	private seenTotal = 0;

	add(sample: Buffer): void {
		const {seen} = this;
		if (this.seenTotal + sample.length > memoryBytes) {
			for (let byte = 0; byte < 256; byte++) {
				seen[byte] /= 2;
			}

			this.seenTotal /= 2;
		}

		for (let index = 0; index < sample.length; index++) {
			seen[sample[index]!]++;
		}

		this.seenTotal += sample.length;
	}

	anchor(needle: Buffer): Anchor {
		const at = this.rarest(needle);
		if (needle.length < 2 || this.count(needle[at]!) / (this.priorTotal + this.seenTotal) <= memchrRate) {
			return {at};
		}

		const other = this.rarest(needle, at);
		const [i1, i2] = at < other ? [at, other] : [other, at];
		return {at, pair: [i1, needle[i1]!, i2, needle[i2]!]};
	}

	private count(byte: number): number {
		return this.prior[byte]! + this.seen[byte]!;
	}

	/** Index of the byte of `needle` with the lowest count, other than index `except`. */
	private rarest(needle: Buffer, except = -1): number {
		let best = -1;
		for (let index = 0; index < needle.length; index++) {
			if (index !== except && (best === -1 || this.count(needle[index]!) < this.count(needle[best]!))) {
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
