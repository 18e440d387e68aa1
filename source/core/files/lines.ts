import type {Chunk} from './options.js';
import {type FilePosition, sameFile} from './segments.js';

/** One complete line: its text, or the problem that makes it unreadable. */
export interface RawLine {
	/** 1-based line number within its file. */
	line: number;
	/** Byte offset of the line's first byte. */
	offset: number;
	ino: number;
	text?: string;
	problem?: string;
}

/**
 * Chunks as blocks of text made of whole lines, each ending in "\n" (a cut line gets one), for
 * consumers that scan text in bulk (the log matcher). Chunks that only move the position are skipped.
 */
export function asText(onLines: (text: string, position: FilePosition) => void): (chunk: Chunk) => void {
	return ({data, position, cut}) => {
		if (data.length > 0) {
			onLines(data.toString('utf8') + (cut ? '\n' : ''), position);
		}
	};
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * Chunks as numbered lines, each decoded (strict UTF-8) or rejected with its problem: longer than
 * `maxLineBytes`, not UTF-8, or the unterminated end of a file that was moved away. `onBatch` gets
 * every chunk (also an empty one, when only the position moved) with the position after it.
 * The read size must exceed `maxLineBytes`, so that only overlong lines come in `long` pieces.
 */
export function asLines(onBatch: (lines: RawLine[], after: FilePosition) => void, maxLineBytes: number): (chunk: Chunk) => void {
	// Where the rest of a line already rejected as too long continues.
	let overlongAt: FilePosition | undefined;
	return ({data, from, position, cut}) => {
		let skipping = overlongAt !== undefined && sameFile(overlongAt, from) && overlongAt.offset === from.offset;
		const lines: RawLine[] = [];
		const add = (start: number, end: number, line: number, problem?: string) => {
			if (skipping) {
				skipping = false;
				return;
			}

			const bytes = data.subarray(start, end);
			const base = {line, offset: from.offset + start, ino: from.ino};
			lines.push(problem ? {...base, problem} : (bytes.length > maxLineBytes ? {...base, problem: `line too long (over ${maxLineBytes} bytes)`} : {...base, ...decode(bytes)}));
		};

		let start = 0;
		let line = from.line;
		for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
			add(start, newline, ++line);
			start = newline + 1;
		}

		if (start < data.length && cut === 'long') {
			add(start, data.length, line + 1, `line too long (over ${maxLineBytes} bytes)`);
		} else if (start < data.length && cut === 'unterminated') {
			add(start, data.length, line + 1, 'incomplete last line (the file was moved or replaced before it ended)');
		}

		onBatch(lines, position);
		overlongAt = cut === 'long' ? position : undefined;
	};
}

function decode(bytes: Buffer): {text: string} | {problem: string} {
	try {
		return {text: utf8.decode(bytes)};
	} catch {
		return {problem: 'not valid UTF-8'};
	}
}
