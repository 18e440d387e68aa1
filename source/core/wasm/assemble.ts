/**
 * Just enough of the WebAssembly binary format to write a few small functions by hand: a module
 * that imports its memory (`env.memory`) and exports functions of i32 parameters and one i32
 * result. Bodies are byte arrays built from the opcodes below; their text form sits beside them.
 */

export type Code = number[];

/** Value types. */
export const i32 = 0x7F;
export const v128 = 0x7B;

/** Unsigned LEB128. */
export function leb(value: number): Code {
	const bytes: Code = [];
	let rest = value >>> 0;
	do {
		const byte = rest & 0x7F;
		rest >>>= 7;
		bytes.push(rest === 0 ? byte : byte | 0x80);
	} while (rest !== 0);

	return bytes;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): Code {
	const bytes: Code = [];
	let rest = value | 0;
	for (;;) {
		const byte = rest & 0x7F;
		rest >>= 7;
		if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
			bytes.push(byte);
			return bytes;
		}

		bytes.push(byte | 0x80);
	}
}

const vector = (items: Code[]): Code => [...leb(items.length), ...items.flat()];
const name = (text: string): Code => vector([...Buffer.from(text)].map(byte => [byte]));
const section = (id: number, body: Code): Code => [id, ...leb(body.length), ...body];
const simd = (opcode: number, ...immediates: number[]): Code => [0xFD, ...leb(opcode), ...immediates];

/** Instructions, named as in the text format. */
export const op = {
	block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], end: [0x0B],
	br: (depth: number): Code => [0x0C, ...leb(depth)],
	brIf: (depth: number): Code => [0x0D, ...leb(depth)],
	return: [0x0F], select: [0x1B],
	get: (local: number): Code => [0x20, ...leb(local)],
	set: (local: number): Code => [0x21, ...leb(local)],
	tee: (local: number): Code => [0x22, ...leb(local)],
	/** `i32.load8_u` at the address on the stack. */
	load8: [0x2D, 0, 0],
	const: (value: number): Code => [0x41, ...sleb(value)],
	eq: [0x46], ltS: [0x48], ltU: [0x49], gtS: [0x4A], geS: [0x4E], and: [0x71], add: [0x6A], sub: [0x6B], ctz: [0x68],
	/** `v128.load` at the address on the stack (unaligned is fine). */
	load128: simd(0x00, 0, 0),
	splat: (byte: number): Code => simd(0x0C, ...Array.from({length: 16}, () => byte)),
	/** `i8x16.splat` of the i32 on the stack. */
	splatI8: simd(0x0F),
	laneI32: (lane: number): Code => simd(0x1B, lane),
	eqI8: simd(0x23), and128: simd(0x4E), anyTrue: simd(0x53), bitmaskI8: simd(0x64), subI8: simd(0x71),
	/** `i16x8.extadd_pairwise_i8x16_u`, then `i32x4.extadd_pairwise_i16x8_u`. */
	widenI8: simd(0x7D), widenI16: simd(0x7F),
};

/** One exported function: i32 parameters, one i32 result, its extra locals and its body (without the final `end`). */
export interface WasmFunction {
	name: string;
	params: number;
	locals: number[];
	body: Code[];
}

/** The bytes of a module importing `env.memory` and exporting `functions`. */
export function assemble(functions: readonly WasmFunction[]): Uint8Array {
	const types = functions.map(fn => [0x60, ...vector(Array.from({length: fn.params}, () => [i32])), ...vector([[i32]])]);
	const bodies = functions.map(fn => {
		const locals = vector(fn.locals.map(type => [1, type]));
		const body = [...locals, ...fn.body.flat(), ...op.end];
		return [...leb(body.length), ...body];
	});
	return new Uint8Array([
		0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
		...section(1, vector(types)),
		...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
		...section(3, vector(functions.map((_, index) => leb(index)))),
		...section(7, vector(functions.map((fn, index) => [...name(fn.name), 0x00, ...leb(index)]))),
		...section(10, vector(bodies)),
	]);
}
