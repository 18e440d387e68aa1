import test from 'ava';
import {defaultLogIgnore, defaultLogPatterns} from '../../../source/core/config/schema.js';
import {LogMatcher} from '../../../source/core/logs/matcher.js';

const matcher = () => new LogMatcher(defaultLogPatterns, defaultLogIgnore);

/** Everything found in `text`, including a match at its very end (which waits for continuation lines). */
function scanAll(m: LogMatcher, text: string) {
	return [...m.scan(text), ...m.flush()];
}

test('word boundaries keep NO_ERROR, ERRORED and error_handler from matching', t => {
	const found = scanAll(matcher(), 'status NO_ERROR\nERRORED twice\ncalling error_handler\nERROR_CODE=1\nxERROR\nreal ERROR here\n');
	t.deepEqual(found.map(match => match.lines), [['real ERROR here']]);
});

test('each default pattern matches a plain line', t => {
	const text = ['x ERROR y', 'java.lang.Exception: no', 'Traceback (most recent call last):', 'CRITICAL disk', 'tests FAILED'].join('\n\n') + '\n';
	t.is(scanAll(matcher(), text).length, 5);
});

test('ignore patterns drop matching lines after the patterns', t => {
	const found = scanAll(matcher(), 'GET /health ERROR 200\nhealth-check ERROR\nERROR real\n');
	t.deepEqual(found.map(match => match.lines), [['ERROR real']]);
});

test('a python traceback is one match with its frames and exception line', t => {
	const text = 'INFO ok\nTraceback (most recent call last):\n  File "x.py", line 1, in <module>\n    boom()\nValueError: ERROR boom\nINFO after\n';
	const found = matcher().scan(text);
	t.is(found.length, 1);
	t.deepEqual(found[0]!.lines, ['Traceback (most recent call last):', '  File "x.py", line 1, in <module>', '    boom()', 'ValueError: ERROR boom']);
});

test('a js stack keeps its at lines together', t => {
	const text = 'ERROR request failed: TypeError: x is undefined\n    at handler (/app/server.js:10:5)\n    at Layer.handle (/app/node_modules/express/router.js:1:1)\nINFO next\n';
	const found = matcher().scan(text);
	t.is(found.length, 1);
	t.is(found[0]!.lines.length, 3);
});

test('a logged exception message takes its traceback along', t => {
	const text = 'ERROR handler crashed\nTraceback (most recent call last):\n  File "a.py", line 2, in f\nKeyError: 1\nINFO fine\n';
	const found = matcher().scan(text);
	t.is(found.length, 1);
	t.is(found[0]!.lines.length, 4);
});

test('a group continues across scans and closes on flush', t => {
	const m = matcher();
	t.deepEqual(m.scan('Traceback (most recent call last):\n  File "x.py", line 1\n'), []);
	t.true(m.pending);
	t.deepEqual(m.scan('  File "y.py", line 2\n'), []);
	t.deepEqual(m.flush().map(match => match.lines.length), [3]);
	t.false(m.pending);
});

test('patterns that are not plain words are matched by the regular expression', t => {
	const m = new LogMatcher(['\\bpanic: .*\\d+', 'ERR(OR)?\\b'], []);
	t.is(scanAll(m, 'panic: code 7\nERR now\npanic: none\n').length, 2);
});


test('a match at the end of the data waits for possible continuation lines', t => {
	const m = matcher();
	t.deepEqual(m.scan('ERROR last\n'), []);
	t.deepEqual(m.scan('INFO next\n').map(match => match.lines), [['ERROR last']]);
});

test('continuation lines are told by their start: tabs, spaces before text, at and Caused by, not a blank indented line', t => {
	const text = 'ERROR one\n\tframe\n  frame\nat next\nCaused by: Exception x\n   \nINFO after\nERROR two\n    \nERROR three\nat\nattic ERROR four\n';
	const found = scanAll(matcher(), text).map(match => match.lines);
	t.deepEqual(found, [
		['ERROR one', '\tframe', '  frame', 'at next', 'Caused by: Exception x'],
		['ERROR two'],
		['ERROR three'],
		['attic ERROR four'],
	]);
});
