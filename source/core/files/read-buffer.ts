import {byteScanModule, type ByteScanExports} from '../wasm/byte-scan.js';

/** The parts of the WebAssembly API used here (the project's TypeScript libs have no DOM types). */
interface WasmApi {
	Module: new (bytes: Uint8Array) => unknown;
	Instance: new (module: unknown, imports: {env: {memory: unknown}}) => {exports: unknown};
	Memory: new (descriptor: {initial: number; maximum: number}) => {buffer: ArrayBuffer};
}

/** Absent under `node --jitless`: then the plain loops below do the work. */
const wasm = (globalThis as {WebAssembly?: WasmApi}).WebAssembly;
let compiled: unknown;

/**
 * A follower's read buffer, living in WebAssembly memory so that SIMD loops scan the bytes where
 * they were read, without a copy: counting a chunk's lines costs about 30 ms per GB this way,
 * against 150 ms for `Buffer.indexOf` from newline to newline (10 M lines per GB). A consumer that
 * searches the bytes itself (the log watcher) gives the follower its own ReadBuffer and uses `pair`.
 */
export class ReadBuffer {
	/** The whole buffer; chunks are views of it. */
	readonly data: Buffer;
	private readonly scan?: ByteScanExports;

	constructor(size: number, options: {simd?: boolean} = {}) {
		const simd = wasm && options.simd !== false ? instantiate(wasm, size) : undefined;
		this.scan = simd?.scan;
		this.data = simd?.data ?? Buffer.allocUnsafe(size);
	}

	/** True when `pair` runs as SIMD (else it is not worth calling). */
	get simd(): boolean {
		return this.scan !== undefined;
	}

	/** How many "\n" `view` (a view of `data`) holds. */
	newlines(view: Buffer): number {
		if (this.scan && view.buffer === this.data.buffer) {
			return this.scan.newlines(view.byteOffset, view.byteOffset + view.length);
		}

		let count = 0;
		for (let index = view.indexOf(10); index !== -1; index = view.indexOf(10, index + 1)) {
			count++;
		}

		return count;
	}

	/**
	 * The first offset at or after `from` in `view` (a view of `data`) where `view[offset + i1]` is
	 * `b1` and `view[offset + i2]` is `b2` (i1 < i2), both inside `view`; -1 when there is none.
	 */
	pair(view: Buffer, from: number, i1: number, b1: number, i2: number, b2: number): number {
		if (this.scan && view.buffer === this.data.buffer) {
			const found = this.scan.pair(view.byteOffset + from, view.byteOffset + view.length, i1, b1, i2, b2);
			return found === -1 ? -1 : found - view.byteOffset;
		}

		for (let offset = from; offset + i2 < view.length; offset++) {
			if (view[offset + i1] === b1 && view[offset + i2] === b2) {
				return offset;
			}
		}

		return -1;
	}
}

/** A memory of `size` bytes with the scanning loops over it, or undefined when none can be had (address space exhausted, a limit). */
function instantiate(api: WasmApi, size: number): {scan: ByteScanExports; data: Buffer} | undefined {
	const pages = Math.max(1, Math.ceil(size / 65_536));
	let memory: {buffer: ArrayBuffer};
	try {
		memory = new api.Memory({initial: pages, maximum: pages});
	} catch {
		// Each memory reserves address space; without it the plain loops do the same work.
		return undefined;
	}

	compiled ??= new api.Module(byteScanModule);
	const scan = new api.Instance(compiled, {env: {memory}}).exports as ByteScanExports;
	// The memory never grows, so this view is never detached.
	return {scan, data: Buffer.from(memory.buffer, 0, size)};
}
