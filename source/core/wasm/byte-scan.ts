import {assemble, type Code, op, v128} from './assemble.js';

/**
 * `newlines(start, end)`: how many "\n" bytes memory[start, end) holds, 16 bytes per step.
 *
 *   loop $batch                                   ;; up to 255 steps, so no byte lane overflows
 *     br_if $tail (end - p < 16)
 *     limit = p + min((end - p) & -16, 4080); counts = 0
 *     loop $step
 *       counts -= i8x16.eq(v128.load(p), "\n" x 16)   ;; a hit is -1
 *       p += 16; br_if $step (p < limit)
 *     total += sum of the lanes of counts
 *   then the last bytes one by one
 */
const newlines = (() => {
	const [p, end, total, limit, counts] = [0, 1, 2, 3, 4];
	const batch: Code[] = [
		op.get(end), op.get(p), op.sub, op.const(16), op.ltS, op.brIf(1),
		op.get(end), op.get(p), op.sub, op.const(-16), op.and, op.tee(limit), op.const(4080), op.get(limit), op.const(4080), op.ltS, op.select,
		op.get(p), op.add, op.set(limit),
		op.splat(0), op.set(counts),
		op.loop,
		op.get(counts), op.get(p), op.load128, op.splat(10), op.eqI8, op.subI8, op.set(counts),
		op.get(p), op.const(16), op.add, op.tee(p), op.get(limit), op.ltU, op.brIf(0),
		op.end,
		op.get(counts), op.widenI8, op.widenI16, op.set(counts),
		op.get(total), op.get(counts), op.laneI32(0), op.add, op.get(counts), op.laneI32(1), op.add,
		op.get(counts), op.laneI32(2), op.add, op.get(counts), op.laneI32(3), op.add, op.set(total),
		op.br(0),
	];
	const tail: Code[] = [
		op.get(p), op.get(end), op.geS, op.brIf(1),
		op.get(total), op.get(p), op.load8, op.const(10), op.eq, op.add, op.set(total),
		op.get(p), op.const(1), op.add, op.set(p), op.br(0),
	];
	return {name: 'newlines', params: 2, locals: [0x7F, 0x7F, v128], body: [op.block, op.loop, ...batch, op.end, op.end, op.block, op.loop, ...tail, op.end, op.end, op.get(total)]};
})();

/**
 * `pair(s, end, i1, b1, i2, b2)`: the first start s' >= s with memory[s' + i1] = b1 and
 * memory[s' + i2] = b2 (i1 < i2) whose bytes lie before `end`, or -1. Two bytes of a literal at
 * their distance rule out nearly every place where only one of them occurs.
 *
 *   stop = end - i2                                ;; starts s' < stop have both bytes in range
 *   loop $step                                     ;; 16 starts per step
 *     br_if $tail (s + 16 > stop)
 *     hits = i8x16.eq(v128.load(s + i1), b1 x 16) & i8x16.eq(v128.load(s + i2), b2 x 16)
 *     if v128.any_true(hits): return s + ctz(i8x16.bitmask(hits))
 *     s += 16
 *   then the last starts one by one
 */
const pair = (() => {
	const [s, end, i1, b1, i2, b2, stop, first, second, hits] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
	const step: Code[] = [
		op.get(s), op.const(16), op.add, op.get(stop), op.gtS, op.brIf(1),
		op.get(s), op.get(i1), op.add, op.load128, op.get(first), op.eqI8,
		op.get(s), op.get(i2), op.add, op.load128, op.get(second), op.eqI8,
		op.and128, op.tee(hits), op.anyTrue,
		op.if, op.get(hits), op.bitmaskI8, op.ctz, op.get(s), op.add, op.return, op.end,
		op.get(s), op.const(16), op.add, op.set(s), op.br(0),
	];
	const tail: Code[] = [
		op.get(s), op.get(stop), op.geS, op.brIf(1),
		op.get(s), op.get(i1), op.add, op.load8, op.get(b1), op.eq,
		op.get(s), op.get(i2), op.add, op.load8, op.get(b2), op.eq, op.and,
		op.if, op.get(s), op.return, op.end,
		op.get(s), op.const(1), op.add, op.set(s), op.br(0),
	];
	return {
		name: 'pair',
		params: 6,
		locals: [0x7F, v128, v128, v128],
		body: [
			op.get(end), op.get(i2), op.sub, op.set(stop),
			op.get(b1), op.splatI8, op.set(first), op.get(b2), op.splatI8, op.set(second),
			op.block, op.loop, ...step, op.end, op.end,
			op.block, op.loop, ...tail, op.end, op.end,
			op.const(-1),
		],
	};
})();

/** The module's bytes: `newlines` and `pair` over the imported memory. */
export const byteScanModule = assemble([newlines, pair]);

export interface ByteScanExports {
	newlines(start: number, end: number): number;
	pair(start: number, end: number, i1: number, b1: number, i2: number, b2: number): number;
}
