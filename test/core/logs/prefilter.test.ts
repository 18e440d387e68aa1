import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {defaultLogIgnore, defaultLogPatterns} from '../../../source/core/config/schema.js';
import {FileFollower} from '../../../source/core/files/follower.js';
import {ReadBuffer} from '../../../source/core/files/read-buffer.js';
import {LogMatcher} from '../../../source/core/logs/matcher.js';
import {chunkTexts, LiteralSearch, requiredLiterals} from '../../../source/core/logs/prefilter.js';

const patterns = [...defaultLogPatterns, String.raw`\b(?:FATAL|PANIC)\b`, String.raw`^Traceback \(most recent call last\):`, 'ünïcødé fehler'];
const literals = requiredLiterals(patterns)!;

/** Near misses for every literal (case, word boundaries, partial words), multi-byte text, tracebacks and stacks. */
function corpus(): string {
	const lines: string[] = [];
	const near = ['error', 'Error', 'ERRORS', 'xERROR', 'ERROR_CODE', 'MYERROR', 'ERRO R', 'Exceptional', 'exception', 'NoException',
		'traceback', 'Tracebacks', 'CRITICALLY', 'critical', 'FAILEDX', 'UNFAILED', 'failed', 'FATALITY', 'panic', 'Traceback (most recent call first):',
		'ünïcødé  fehler', 'ÜNÏCØDÉ FEHLER', 'ERRÖR', 'ÉERROR', 'ERRORé', 'GET /health ERROR', 'health-check CRITICAL', 'ERROR9', '_FAILED', 'Tracebackü'];
	const hits = ['ERROR', 'Exception', 'Traceback', 'CRITICAL', 'FAILED', 'FATAL', 'PANIC', '(ERROR)', 'x ERROR: y', 'ünïcødé fehler', '日本語 ERROR 日本語', 'é FAILED é',
		'ÜERROR', 'CRITICAL😀', '-Exception-', 'ERROR\t', 'Traceback:'];
	for (let index = 0; index < 3000; index++) {
		const pick = (list: string[]) => list[(index * 7 + 3) % list.length]!;
		const kind = index % 11;
		if (kind === 0) {
			lines.push(`2026-01-01T00:00:${index % 60} worker ${pick(hits)} request ${index} ✓ ünïcødé`);
		} else if (kind === 3) {
			lines.push('Traceback (most recent call last):', `  File "app.py", line ${index}, in main`, '    raise ValueError("boom ERROR")', 'ValueError: boom');
		} else if (kind === 5) {
			lines.push(`Error: ${pick(near)} in handler`, `    at handler (app.js:${index}:3)`, 'at next (app.js:1:1)', 'Caused by: Exception in callee', `plain line ${index}`);
		} else if (kind === 7) {
			lines.push(`${pick(hits)} then a stack`, `\tframe ${index}`, `  frame ÉERROR ${index}`);
		} else if (kind === 9) {
			lines.push(`INFO logged a message`, `Traceback (most recent call last):`, `  File "x.py", line ${index}`, 'KeyError: FAILED');
		} else {
			lines.push(`info ${pick(near)} ${index} — multi-byte ✓ 中文 😀`);
		}
	}

	return `${lines.join('\n')}\n`;
}

/**
 * How the chunks are searched: `full` without a prefilter; `memchr` with the prefilter but without
 * the read buffer's SIMD search; `learned` with both, each literal as the log taught; `pairs` with
 * every literal on the SIMD pair search (its bytes were made common before the log was read).
 */
type Mode = 'full' | 'memchr' | 'learned' | 'pairs';

function searchFor(mode: Mode): LiteralSearch | undefined {
	if (mode === 'full') {
		return undefined;
	}

	const search = new LiteralSearch(literals);
	if (mode === 'pairs') {
		const common = Buffer.from(literals.join(' ').repeat(2000).slice(0, 64 * 1024));
		for (let sampled = 0; sampled < 1024 * 1024; sampled += common.length) {
			search.hits(common);
		}
	}

	return search;
}

/** What the matcher reports for `text` written to a real file and read by the follower `size` bytes at a time. */
function matches(text: string, size: number, mode: Mode): {found: string[][]; anchors?: string[]} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-prefilter-'));
	const file = path.join(dir, 'app.log');
	fs.writeFileSync(file, text);
	const matcher = new LogMatcher(patterns, defaultLogIgnore);
	const search = searchFor(mode);
	const reader = new ReadBuffer(size);
	const found: string[][] = [];
	const follower = new FileFollower({
		file,
		from: 'start',
		pollInterval: 60_000,
		buffer: reader,
		onChunk({data, cut}) {
			for (const chunk of chunkTexts(data, cut !== undefined, search, matcher.pending, mode === 'memchr' ? undefined : reader)) {
				found.push(...matcher.scan(chunk).map(match => match.lines));
			}
		},
	});
	try {
		follower.start();
	} finally {
		follower.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	}

	found.push(...matcher.flush().map(match => match.lines));
	return {found, anchors: search?.anchorBytes};
}

test('the literals of the shipped patterns are found and a pattern without one turns the prefilter off', t => {
	t.deepEqual(requiredLiterals(defaultLogPatterns), ['ERROR', 'Exception', 'Traceback', 'CRITICAL', 'FAILED']);
	t.deepEqual(requiredLiterals([String.raw`\b(?:FATAL|PANIC)\b`, String.raw`^Traceback \(most recent call last\):`]), ['FATAL', 'PANIC', 'Traceback (most recent call last):']);
	t.is(requiredLiterals([String.raw`\bERROR\b`, String.raw`fail(ed)?`]), undefined);
	t.is(requiredLiterals([String.raw`\d+ errors`]), undefined);
	t.is(requiredLiterals(['(?i)error']), undefined);
	t.is(requiredLiterals(['ERROR|WARN']), undefined);
	t.is(requiredLiterals(['bad \uFFFD byte']), undefined, 'U+FFFD may come from bytes that are not UTF-8');
});

test('every way of searching gives exactly the matches of the full pattern on a corpus of near misses', t => {
	const text = corpus();
	const size = Buffer.byteLength(text) + 1;
	const {found: full} = matches(text, size, 'full');
	t.true(full.length > 1000, `the corpus has matches (${full.length})`);
	t.true(full.some(lines => lines.length > 3), 'and tracebacks');
	for (const mode of ['memchr', 'learned', 'pairs'] as const) {
		const {found, anchors} = matches(text, size, mode);
		t.deepEqual(found, full, mode);
		t.true(mode !== 'pairs' || anchors!.every(anchor => anchor.length === 2), `still all pairs: ${anchors!.join(' ')}`);
	}
});

test('every way of searching gives the same matches when lines are split across reads', t => {
	const text = corpus();
	const {found: full} = matches(text, Buffer.byteLength(text) + 1, 'full');
	for (const size of [97, 256, 1000, 4096]) {
		for (const mode of ['full', 'memchr', 'learned', 'pairs'] as const) {
			t.deepEqual(matches(text, size, mode).found, full, `reads of ${size} bytes, ${mode}`);
		}
	}
});

test('a literal cut by the end of a read inside an overlong line is treated as the full pattern treats it', t => {
	// Lines longer than the read size come in pieces; each piece is scanned as a line of its own.
	const long = (at: number) => `${'x '.repeat(at / 2)}ERROR ${'y'.repeat(300 - at)} FAILED ünï ${'z'.repeat(250)}`;
	const text = `${Array.from({length: 120}, (_, index) => long(index * 2)).join('\n')}\nINFO end\nERROR last\n`;
	for (const size of [64, 100, 257]) {
		const {found: full} = matches(text, size, 'full');
		t.true(full.length > 0);
		for (const mode of ['memchr', 'learned', 'pairs'] as const) {
			t.deepEqual(matches(text, size, mode).found, full, `reads of ${size} bytes, ${mode}`);
		}
	}
});

test('pair mode searches every literal by a pair of its bytes', t => {
	const {anchors} = matches('INFO nothing\n', 4096, 'pairs');
	t.true(anchors!.every(anchor => anchor.length === 2), anchors!.join(' '));
});

test('a literal with a byte the log seldom holds is found by that byte, one of common bytes by a pair', t => {
	const line = (n: number) => `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z INFO worker-${n % 7} GET /api/items/${n} 200 user=${n} trace=${(n * 2_654_435_761).toString(16)}\n`;
	const log = Buffer.from(Array.from({length: 2000}, (_, n) => line(n)).join(''));
	const search = new LiteralSearch(['ERROR', 'Traceback']);
	const hits = search.hits(log, undefined);
	t.is(hits.next(0), -1);
	const [error, traceback] = search.anchorBytes;
	t.is(error, 'R', 'no R in these lines: memchr on it');
	t.is(traceback!.length, 2, `T is on every line (timestamp), b and a are in the hex: a pair (${traceback})`);
});

test('anchors follow a log whose bytes change after its start', t => {
	const search = new LiteralSearch(['ERROR']);
	const quiet = Buffer.from('info request served in 5 ms\n'.repeat(20_000));
	for (let learned = 0; learned < 512 * 1024; learned += 32 * 1024) {
		search.hits(quiet);
	}

	t.is(search.anchorBytes[0], 'E', 'no upper case in the log: memchr on the first byte of ERROR');
	const loud = Buffer.from('RESPONSE OK FROM REMOTE ORDER SERVER\n'.repeat(2000));
	for (let index = 0; index < 5; index++) {
		search.hits(loud);
	}

	t.is(search.anchorBytes[0]!.length, 2, `E, R and O are everywhere now: a pair (${search.anchorBytes[0]})`);
	t.is(search.hits(Buffer.from('x ERROR y')).next(0), 2);
});

test('the literal search finds a literal at the very start and end of a buffer and not a partial one', t => {
	const reader = new ReadBuffer(64);
	const inReader = (text: string) => {
		const bytes = Buffer.from(text);
		bytes.copy(reader.data);
		return reader.data.subarray(0, bytes.length);
	};

	for (const mode of ['memchr', 'pairs'] as const) {
		const search = mode === 'pairs' ? searchFor('pairs')! : new LiteralSearch(['ERROR', 'FAILED']);
		const next = (text: string, from = 0) => search.hits(inReader(text), mode === 'pairs' ? reader : undefined).next(from);
		t.is(next('ERROR'), 0, mode);
		t.is(next('xx FAILED'), 3, mode);
		t.is(next('ERRO FAILE'), -1, mode);
		t.is(next('ERROR ERROR', 1), 6, mode);
		t.is(next('é中ERROR'), 5, mode);
	}
});
