import test from 'ava';
import {execa} from 'execa';
import {ReadBuffer} from '../../../source/core/files/read-buffer.js';

/** A seeded generator, so a failure can be reproduced. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return state / 2 ** 32;
	};
}

/** `size` bytes drawn from `alphabet` (newlines, the pair's bytes, bytes of 0x80 and over). */
function fill(buffer: ReadBuffer, size: number, alphabet: number[], next: () => number): void {
	for (let index = 0; index < size; index++) {
		buffer.data[index] = alphabet[Math.floor(next() * alphabet.length)]!;
	}
}

function countByLoop(view: Buffer): number {
	return view.reduce((count, byte) => count + (byte === 10 ? 1 : 0), 0);
}

function pairByLoop(view: Buffer, from: number, [i1, b1, i2, b2]: number[]): number {
	for (let offset = from; offset + i2 < view.length; offset++) {
		if (view[offset + i1] === b1 && view[offset + i2] === b2) {
			return offset;
		}
	}

	return -1;
}

/** Every pair hit from `from` on, as `pair` returns them one after the other. */
function allPairs(buffer: ReadBuffer, view: Buffer, spec: number[]): number[] {
	const found: number[] = [];
	for (let at = buffer.pair(view, 0, spec[0]!, spec[1]!, spec[2]!, spec[3]!); at !== -1; at = buffer.pair(view, at + 1, spec[0]!, spec[1]!, spec[2]!, spec[3]!)) {
		found.push(at);
	}

	return found;
}

const size = 70_000;

test('the buffer runs its loops as SIMD in WebAssembly memory', t => {
	const buffer = new ReadBuffer(size);
	t.true(buffer.simd);
	t.is(buffer.data.length, size);
	t.false(new ReadBuffer(size, {simd: false}).simd);
});

test('newlines are counted exactly, in views that start and end anywhere', t => {
	const next = random(7);
	for (const simd of [true, false]) {
		const buffer = new ReadBuffer(size, {simd});
		for (let round = 0; round < 40; round++) {
			fill(buffer, size, round % 2 === 0 ? [10, 65, 0xC3, 0xFF] : [10, 10, 10, 32], next);
			const start = Math.floor(next() * 100);
			const end = size - Math.floor(next() * 5000);
			const view = buffer.data.subarray(start, end);
			t.is(buffer.newlines(view), countByLoop(view), `simd ${simd}, round ${round}`);
		}

		// Short views (under one 16-byte step) and a view of only newlines (more than 255 per lane).
		for (let length = 0; length < 40; length++) {
			const view = buffer.data.subarray(size - length);
			t.is(buffer.newlines(view), countByLoop(view), `simd ${simd}, ${length} bytes`);
		}

		buffer.data.fill(10);
		t.is(buffer.newlines(buffer.data), size);
	}
});

test('the pair search finds every place holding both bytes at their distance, and only those', t => {
	const next = random(11);
	const buffer = new ReadBuffer(size);
	for (let round = 0; round < 40; round++) {
		fill(buffer, size, [0x41, 0x42, 0xE2, 10, 32], next);
		const i1 = Math.floor(next() * 4);
		const spec = [i1, round % 2 === 0 ? 0x41 : 0xE2, i1 + 1 + Math.floor(next() * 30), 0x42];
		const view = buffer.data.subarray(Math.floor(next() * 100), size - Math.floor(next() * 100));
		const expected: number[] = [];
		for (let at = pairByLoop(view, 0, spec); at !== -1; at = pairByLoop(view, at + 1, spec)) {
			expected.push(at);
		}

		t.true(expected.length > 0);
		t.deepEqual(allPairs(buffer, view, spec), expected, `round ${round}: ${spec.join(',')}`);
	}
});

test('the pair search never reports a place whose second byte lies beyond the view', t => {
	const buffer = new ReadBuffer(1024);
	buffer.data.fill(0x41);
	for (let length = 0; length < 60; length++) {
		const view = buffer.data.subarray(100, 100 + length);
		// The bytes after the view hold the pair too: a search that reads past the end would report them.
		t.deepEqual(allPairs(buffer, view, [0, 0x41, 5, 0x41]), Array.from({length: Math.max(0, length - 5)}, (_, index) => index), `${length} bytes`);
		t.is(buffer.pair(view, length, 0, 0x41, 1, 0x41), -1);
	}
});

test('a view of other memory is still counted and searched, by plain loops', t => {
	const buffer = new ReadBuffer(1024);
	const other = Buffer.from('x\nAB\nyAB\n');
	t.is(buffer.newlines(other), 3);
	t.deepEqual(allPairs(buffer, other, [0, 0x41, 1, 0x42]), [2, 6]);
});

test('where WebAssembly memory cannot be had (address space limited) the buffer works with plain loops', async t => {
	const module = new URL('../../../source/core/files/read-buffer.js', import.meta.url).href;
	const script = `import {ReadBuffer} from ${JSON.stringify(module)}; const buffer = new ReadBuffer(4096); buffer.data.fill(10); console.log(JSON.stringify([buffer.simd, buffer.newlines(buffer.data)]));`;
	// Each memory reserves several GB of address space up front; 4 GB of it is not enough.
	const {stdout} = await execa('sh', ['-c', 'ulimit -v 4000000 && exec "$0" --input-type=module -e "$1"', process.execPath, script]);
	t.deepEqual(JSON.parse(stdout), [false, 4096]);
});
