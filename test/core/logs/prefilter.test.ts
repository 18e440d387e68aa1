import test from 'ava';
import {defaultLogIgnore, defaultLogPatterns} from '../../../source/core/config/schema.js';
import {LogMatcher} from '../../../source/core/logs/matcher.js';
import {chunkTexts, LiteralSearch, requiredLiterals} from '../../../source/core/logs/prefilter.js';

const patterns = [...defaultLogPatterns, String.raw`\b(?:FATAL|PANIC)\b`, String.raw`^Traceback \(most recent call last\):`, 'ünïcødé fehler'];

/** Near misses for every literal (case, word boundaries, partial words), multi-byte text, tracebacks and stacks. */
function corpus(): string {
	const lines: string[] = [];
	const near = ['error', 'Error', 'ERRORS', 'xERROR', 'ERROR_CODE', 'MYERROR', 'ERRO R', 'Exceptional', 'exception', 'NoException',
		'traceback', 'Tracebacks', 'CRITICALLY', 'critical', 'FAILEDX', 'UNFAILED', 'failed', 'FATALITY', 'panic', 'Traceback (most recent call first):',
		'ünïcødé  fehler', 'ÜNÏCØDÉ FEHLER', 'ERRÖR', 'ÉERROR', 'ERRORé', 'GET /health ERROR', 'health-check CRITICAL'];
	const hits = ['ERROR', 'Exception', 'Traceback', 'CRITICAL', 'FAILED', 'FATAL', 'PANIC', '(ERROR)', 'x ERROR: y', 'ünïcødé fehler', '日本語 ERROR 日本語', 'é FAILED é'];
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
		} else {
			lines.push(`info ${pick(near)} ${index} — multi-byte ✓ 中文 😀`);
		}
	}

	return `${lines.join('\n')}\n`;
}

/** What the matcher reports for `text` read in pieces of at most `size` bytes, cut at newlines as the follower cuts. */
function matches(text: string, size: number, prefilter: boolean): string[][] {
	const matcher = new LogMatcher(patterns, defaultLogIgnore);
	const literals = requiredLiterals(patterns);
	const search = prefilter && literals ? new LiteralSearch(literals) : undefined;
	const data = Buffer.from(text);
	const found: string[][] = [];
	for (let start = 0; start < data.length;) {
		const piece = data.subarray(start, Math.min(data.length, start + size));
		const end = piece.length === size ? piece.lastIndexOf(10) + 1 : piece.length;
		for (const chunk of chunkTexts(piece.subarray(0, end), false, search, matcher.pending)) {
			found.push(...matcher.scan(chunk).map(match => match.lines));
		}

		start += end;
	}

	found.push(...matcher.flush().map(match => match.lines));
	return found;
}

test('the literals of the shipped patterns are found and a pattern without one turns the prefilter off', t => {
	t.deepEqual(requiredLiterals(defaultLogPatterns), ['ERROR', 'Exception', 'Traceback', 'CRITICAL', 'FAILED']);
	t.deepEqual(requiredLiterals([String.raw`\b(?:FATAL|PANIC)\b`, String.raw`^Traceback \(most recent call last\):`]), ['FATAL', 'PANIC', 'Traceback (most recent call last):']);
	t.is(requiredLiterals([String.raw`\bERROR\b`, String.raw`fail(ed)?`]), undefined);
	t.is(requiredLiterals([String.raw`\d+ errors`]), undefined);
	t.is(requiredLiterals(['(?i)error']), undefined);
});

test('the prefilter gives exactly the matches of the full pattern on a corpus of near misses', t => {
	const text = corpus();
	const full = matches(text, Buffer.byteLength(text) + 1, false);
	t.true(full.length > 500, `the corpus has matches (${full.length})`);
	t.deepEqual(matches(text, Buffer.byteLength(text) + 1, true), full);
});

test('the prefilter gives the same matches when lines are split across buffer boundaries', t => {
	const text = corpus();
	const full = matches(text, Buffer.byteLength(text) + 1, false);
	for (const size of [97, 256, 1000, 4096]) {
		t.deepEqual(matches(text, size, true), full, `pieces of ${size} bytes`);
		t.deepEqual(matches(text, size, false), full, `pieces of ${size} bytes without the prefilter`);
	}
});

test('the literal search finds a literal at the very start and end of a buffer and not a partial one', t => {
	const search = new LiteralSearch(['ERROR', 'FAILED']);
	t.is(search.next(Buffer.from('ERROR'), 0), 0);
	t.is(search.next(Buffer.from('xx FAILED'), 0), 3);
	t.is(search.next(Buffer.from('ERRO FAILE'), 0), -1);
	t.is(search.next(Buffer.from('ERROR ERROR'), 1), 6);
	t.is(search.next(Buffer.from('é中ERROR'), 0), 5);
});
