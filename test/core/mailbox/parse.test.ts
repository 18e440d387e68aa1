import test from 'ava';
import {parseLine, type ParsedLine} from '../../../source/core/mailbox/parse.js';

const origin = {ino: 1, offset: 0};
const parse = (text: string): ParsedLine => parseLine(text, origin, () => '2026-01-01T00:00:00.000Z');
const reason = (text: string): string => {
	const parsed = parse(text);
	return parsed.kind === 'rejected' ? parsed.reason : `accepted as ${parsed.kind}`;
};

test('json form with every field is accepted as it is', t => {
	const parsed = parse('{"id":"m1","ts":"2026-01-31T06:00:00Z","from":"cmux:worker-1","to":"cmux:supervisor","subject":"done","body":"see x","status":"working"}');
	t.deepEqual(parsed, {kind: 'message', message: {id: 'm1', ts: '2026-01-31T06:00:00Z', from: 'cmux:worker-1', to: 'cmux:supervisor', subject: 'done', body: 'see x', status: 'working'}});
});

test('json form without optional fields gets a stable id, a timestamp and status submitted', t => {
	const line = '{"from":"a","to":"user","subject":"hi"}';
	const first = parse(line);
	t.is(first.kind, 'message');
	if (first.kind === 'message') {
		t.regex(first.message.id, /^line-[\da-f]{20}$/);
		t.is(first.message.ts, '2026-01-01T00:00:00.000Z');
		t.is(first.message.status, 'submitted');
		t.false('body' in first.message);
	}

	t.deepEqual(parse(line), first);
	t.notDeepEqual(parseLine(line, {ino: 1, offset: 99}), first);
});

test('legacy text form with a body path is accepted', t => {
	t.like(parse('[2026-01-31T06:00:00Z] system:log-watcher -> cmux:supervisor: 3 errors in api.log (body: /tmp/alert.md)'), {
		kind: 'message',
		message: {ts: '2026-01-31T06:00:00Z', from: 'system:log-watcher', to: 'cmux:supervisor', subject: '3 errors in api.log', body: '/tmp/alert.md', status: 'submitted'},
	});
});

test('legacy text form without a body is accepted', t => {
	const parsed = parse('[2026-01-31T06:00:00Z] worker-1 -> supervisor: all done: tests pass');
	t.like(parsed, {kind: 'message', message: {from: 'worker-1', to: 'supervisor', subject: 'all done: tests pass'}});
	t.false(parsed.kind === 'message' && 'body' in parsed.message);
});

test('status update lines are recognised', t => {
	t.deepEqual(parse('{"type":"status_update","id":"m1","status":"completed"}'), {kind: 'status', id: 'm1', status: 'completed'});
});

test('blank lines and a trailing carriage return are tolerated', t => {
	t.is(parse('   ').kind, 'blank');
	t.like(parse('{"from":"a","to":"b","subject":"s"}\r'), {kind: 'message', message: {subject: 's'}});
});

test('a line that is neither json nor the legacy form is rejected', t => {
	t.regex(reason('hello there'), /not JSON and not the legacy/);
	t.regex(reason('[ts] a to b: missing arrow'), /not JSON and not the legacy/);
});

test('broken json is rejected', t => {
	t.is(reason('{"from":"a","to":'), 'not valid JSON');
});

test('json that is not an object is rejected', t => {
	t.is(reason('[1,2]'), 'not JSON and not the legacy "[TS] FROM -> TO: SUBJECT" form');
	t.is(reason('{"s"}'), 'not valid JSON');
});

test('missing fields are rejected by name', t => {
	t.is(reason('{"to":"b","subject":"s"}'), 'missing field: from');
	t.is(reason('{"from":"a","subject":"s"}'), 'missing field: to');
	t.is(reason('{"from":"a","to":"b"}'), 'missing field: subject');
	t.is(reason('{"from":"a","to":"b","subject":""}'), 'missing field: subject');
	t.is(reason('{"type":"status_update","status":"working"}'), 'missing field: id');
	t.is(reason('{"type":"status_update","id":"m1"}'), 'missing field: status');
});

test('fields of the wrong type are rejected by name', t => {
	t.is(reason('{"from":7,"to":"b","subject":"s"}'), 'bad field type: from (expected a string, got number)');
	t.is(reason('{"from":"a","to":["b"],"subject":"s"}'), 'bad field type: to (expected a string, got an array)');
	t.is(reason('{"from":"a","to":"b","subject":"s","body":{"x":1}}'), 'bad field type: body (expected a string, got object)');
	t.is(reason('{"from":"a","to":"b","subject":"s","id":5}'), 'bad field type: id (expected a string, got number)');
});

test('an unknown status is rejected', t => {
	t.is(reason('{"from":"a","to":"b","subject":"s","status":"sleeping"}'), 'unknown status: "sleeping"');
	t.is(reason('{"type":"status_update","id":"m1","status":"nope"}'), 'unknown status: "nope"');
});

test('an unknown record type is rejected', t => {
	t.is(reason('{"type":"heartbeat","from":"a","to":"b","subject":"s"}'), 'unknown type: "heartbeat"');
});

test('a recipient that is not an address is rejected', t => {
	t.is(reason('{"from":"a","to":"b c","subject":"s"}'), 'bad address in "to": "b c"');
	t.is(reason('{"from":"a","to":"x;rm","subject":"s"}'), 'bad address in "to": "x;rm"');
});

test('an overlong short field is rejected', t => {
	t.regex(reason(JSON.stringify({from: 'a'.repeat(5000), to: 'b', subject: 's'})), /^field too long: from/);
});

test('a subject over 4096 characters is accepted as cmux accepts it', t => {
	const parsed = parseLine(JSON.stringify({from: 'a', to: 'b', subject: 'x'.repeat(5000)}), {ino: 1, offset: 0});
	t.is(parsed.kind, 'message');
});
