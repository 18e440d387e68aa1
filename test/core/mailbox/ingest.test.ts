import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type {EventInput} from '../../../source/core/events.js';
import {Ingest} from '../../../source/core/mailbox/ingest.js';
import {Store} from '../../../source/core/store/store.js';
import {waitFor} from '../../helpers/wait.js';

/** A real mailbox file and a real SQLite store in a temp folder; `restart` reopens both like a new process. */
function setup(options: {maxLineBytes?: number} = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-ingest-'));
	const file = path.join(dir, 'mailbox');
	const dbFile = path.join(dir, 'cmux.db');
	const events: EventInput[] = [];
	let store = Store.open(dbFile);
	let ingest: Ingest;
	const open = () => {
		ingest = new Ingest({store: store.messages, file, emit: batch => events.push(...batch), maxLineBytes: options.maxLineBytes, pollMs: 60_000});
		ingest.start();
	};

	open();
	return {
		dir,
		file,
		events,
		append: (text: string) => fs.appendFileSync(file, text),
		check: () => ingest.check(),
		subjects: () => (store.db.prepare('SELECT subject FROM messages ORDER BY seq').all() as Array<{subject: string}>).map(row => row.subject),
		store: () => store,
		restart() {
			ingest.stop();
			store.close();
			store = Store.open(dbFile);
			open();
		},
		cleanup() {
			ingest.stop();
			store.close();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}

const line = (subject: string, extra: Record<string, unknown> = {}) => `${JSON.stringify({from: 'w1', to: 'sup', subject, ...extra})}\n`;

test('complete lines are stored and the position is saved with them', t => {
	const box = setup();
	box.append(line('one') + line('two'));
	box.check();
	t.deepEqual(box.subjects(), ['one', 'two']);
	const position = box.store().db.prepare('SELECT offset, line FROM ingest_offsets').get() as {offset: number; line: number};
	t.deepEqual(position, {offset: fs.statSync(box.file).size, line: 2});
	t.deepEqual(box.events.map(event => event.type), ['message.received', 'message.received']);
	box.cleanup();
});

test('a half-written line is ingested only once it is completed', t => {
	const box = setup();
	const full = line('split ✓ 😀');
	const bytes = Buffer.from(full);
	fs.appendFileSync(box.file, bytes.subarray(0, 30));
	box.check();
	t.deepEqual(box.subjects(), []);
	fs.appendFileSync(box.file, bytes.subarray(30, bytes.length - 3));
	box.check();
	t.deepEqual(box.subjects(), []);
	fs.appendFileSync(box.file, bytes.subarray(bytes.length - 3));
	box.check();
	t.deepEqual(box.subjects(), ['split ✓ 😀']);
	box.cleanup();
});

test('a half-written line survives a restart and is read whole', t => {
	const box = setup();
	box.append(line('a'));
	const bytes = Buffer.from(line('b'));
	fs.appendFileSync(box.file, bytes.subarray(0, 10));
	box.check();
	box.restart();
	fs.appendFileSync(box.file, bytes.subarray(10));
	box.check();
	t.deepEqual(box.subjects(), ['a', 'b']);
	box.cleanup();
});

test('a restart continues after the last stored line without reading anything twice', t => {
	const box = setup();
	box.append(line('one') + line('two'));
	box.check();
	box.restart();
	box.append(line('three'));
	box.check();
	t.deepEqual(box.subjects(), ['one', 'two', 'three']);
	t.is(box.events.filter(event => event.type === 'message.received').length, 3);
	box.cleanup();
});

test('a repeated message id is ingested once', t => {
	const box = setup();
	box.append(line('first', {id: 'same'}) + line('again', {id: 'same'}));
	box.check();
	t.deepEqual(box.subjects(), ['first']);
	box.cleanup();
});

test('bad lines are rejected with their line number and never block later lines', t => {
	const box = setup();
	box.append(`not a message\n${line('ok1')}{"from":1}\n${JSON.stringify({type: 'status_update', id: 'ghost', status: 'working'})}\n${line('ok2')}`);
	box.check();
	t.deepEqual(box.subjects(), ['ok1', 'ok2']);
	const rejected = box.events.filter(event => event.type === 'message.rejected') as Array<{line: number; reason: string}>;
	t.deepEqual(rejected.map(event => event.line), [1, 3, 4]);
	t.regex(rejected[2]!.reason, /status_update for an unknown id/);
	box.cleanup();
});

test('invalid utf-8 is rejected', t => {
	const box = setup();
	fs.appendFileSync(box.file, Buffer.concat([Buffer.from('{"from":"a","to":"b","subject":"'), Buffer.from([0xFF, 0xFE]), Buffer.from('"}\n'), Buffer.from(line('next'))]));
	box.check();
	t.like(box.events[0], {type: 'message.rejected', line: 1, reason: 'not valid UTF-8'});
	t.deepEqual(box.subjects(), ['next']);
	box.cleanup();
});

test('an overlong line is rejected and the next line is read', t => {
	const box = setup({maxLineBytes: 1000});
	box.append(line('x'.repeat(3000).slice(0, 3000)).replace('"subject"', '"body":"' + 'y'.repeat(2000) + '","subject"'));
	box.append(line('after'));
	box.check();
	t.like(box.events[0], {type: 'message.rejected', line: 1, reason: 'line too long (over 1000 bytes)'});
	t.deepEqual(box.subjects(), ['after']);
	box.cleanup();
});

test('a status update moves the task status of a known message', t => {
	const box = setup();
	box.append(line('task', {id: 't1'}) + `${JSON.stringify({type: 'status_update', id: 't1', status: 'completed'})}\n`);
	box.check();
	t.like(box.store().db.prepare('SELECT task_status FROM messages WHERE id = ?').get('t1'), {task_status: 'completed'});
	box.cleanup();
});

test('a truncated mailbox is read again from the start', t => {
	const box = setup();
	box.append(line('one') + line('two'));
	box.check();
	fs.truncateSync(box.file, 0);
	box.check();
	box.append(line('three'));
	box.check();
	t.deepEqual(box.subjects(), ['one', 'two', 'three']);
	box.cleanup();
});

test('a mailbox truncated while the orchestrator is down is read from the start', t => {
	const box = setup();
	box.append(line('one') + line('two'));
	box.check();
	box.restart();
	fs.writeFileSync(box.file, line('new'));
	box.check();
	t.deepEqual(box.subjects(), ['one', 'two', 'new']);
	box.cleanup();
});

test('a replaced mailbox is finished, then the new file is read from the start', t => {
	const box = setup();
	box.append(line('old1'));
	box.check();
	box.append(line('old2'));
	const replacement = `${box.file}.new`;
	fs.writeFileSync(replacement, line('new1'));
	fs.renameSync(replacement, box.file);
	box.check();
	t.deepEqual(box.subjects(), ['old1', 'old2', 'new1']);
	box.cleanup();
});

test('an archived mailbox has its unread tail finished after a restart', t => {
	const box = setup();
	box.append(line('a1'));
	box.check();
	box.restart();
	box.append(line('a2'));
	fs.mkdirSync(path.join(box.dir, 'mailbox-archive'));
	fs.renameSync(box.file, path.join(box.dir, 'mailbox-archive', 'mailbox-2026-01-31'));
	box.append(line('b1'));
	box.restart();
	box.check();
	t.deepEqual(box.subjects(), ['a1', 'a2', 'b1']);
	box.cleanup();
});

test('a mailbox archived while running is finished before the new one', t => {
	const box = setup();
	box.append(line('a1'));
	box.check();
	box.append(line('a2') + '{"from":"half');
	fs.mkdirSync(path.join(box.dir, 'mailbox-archive'));
	fs.renameSync(box.file, path.join(box.dir, 'mailbox-archive', 'mailbox-1'));
	box.check();
	box.append(line('b1'));
	box.check();
	t.deepEqual(box.subjects(), ['a1', 'a2', 'b1']);
	t.true(box.events.some(event => event.type === 'message.rejected' && /incomplete last line/.test(String(event.reason))));
	box.restart();
	box.append(line('b2'));
	box.check();
	t.deepEqual(box.subjects(), ['a1', 'a2', 'b1', 'b2']);
	box.cleanup();
});

test('the watcher picks up appended lines by itself', async t => {
	const box = setup();
	box.append(line('watched'));
	await waitFor(() => box.subjects().length > 0, {timeout: 5000, what: 'the watcher to read the line'});
	t.deepEqual(box.subjects(), ['watched']);
	box.cleanup();
});
