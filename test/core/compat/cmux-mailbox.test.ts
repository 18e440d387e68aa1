import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {runCli} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from '../mailbox/harness.js';
import {cmuxAppend} from './cmux-client.js';

let locks = 0;
/** A per-test lock file, so parallel tests never wait on each other (the default is CMUX's /tmp/cmux-mailbox.lock). */
function testLock(): string {
	return path.join(os.tmpdir(), `cmux-test-mailbox-${process.pid}-${++locks}.lock`);
}

test.serial('an append by cmux-tui waits while a cmux writer holds the flock', async t => {
	const lock = testLock();
	const box = await mailboxHarness({mailbox: {lockFile: lock}});
	try {
		const writer = cmuxAppend(box.paths.mailboxFile, lock, {id: 'cmux-1', from: 'cmux:w1', to: 'cmux:supervisor', subject: 'from cmux', status: 'submitted'}, {hold: true});
		await writer.held;
		let ours = false;
		const appended = appendMessage(box.paths.mailboxFile, {id: 'tui-1', from: 'user', to: 'cmux:w1', subject: 'from cmux-tui'}, {lockFile: lock}).then(() => {
			ours = true;
		});
		// CMUX's writer appends its line only now, after ours was asked for: ours must come after it.
		writer.proceed();
		await writer.done;
		await appended;
		t.true(ours);
		const ids = fs.readFileSync(box.paths.mailboxFile, 'utf8').trim().split('\n').map(line => (JSON.parse(line) as {id: string}).id);
		t.deepEqual(ids, ['cmux-1', 'tui-1']);
	} finally {
		await box.cleanup();
	}
});

test.serial('a long subject is delivered shortened with the whole text in an attachment', async t => {
	const lock = testLock();
	const box = await mailboxHarness({mailbox: {lockFile: lock}});
	try {
		const log = await box.agent('w1');
		await box.start();
		const subject = `${'long subject '.repeat(400)}END`;
		await cmuxAppend(box.paths.mailboxFile, lock, {id: 'long-1', from: 'cmux:supervisor', to: 'cmux:w1', subject, status: 'submitted'}).done;
		await box.waitState('long-1', 'delivered');
		const lines = box.received(log);
		t.true(lines[0]!.startsWith('[cmux:supervisor] long subject long subject'));
		t.true(lines[0]!.length < 400, 'the pane gets a shortened subject');
		const file = /^-> (.+)$/.exec(lines[1] ?? '')?.[1];
		t.truthy(file, `second line names the attachment: ${lines[1]}`);
		t.true(file!.includes(`${path.sep}attachments${path.sep}`));
		t.true(fs.readFileSync(file!, 'utf8').includes(subject), 'the attachment holds the whole subject');
		t.false(box.events.some(event => event.type === 'message.rejected'));
	} finally {
		await box.cleanup();
	}
});

test.serial('a rejected line is reported to its sender, or to the supervisor when the sender is unknown', async t => {
	const box = await mailboxHarness({agents: [{name: 'boss', type: 'supervisor', command: 'x'}, {name: 'w1', command: 'x'}]});
	try {
		const bossLog = await box.agent('boss');
		const workerLog = await box.agent('w1');
		await box.start();
		fs.appendFileSync(box.paths.mailboxFile, [
			JSON.stringify({from: 'cmux:w1', to: 'cmux:boss', subject: 'bad status', status: 'sleeping'}),
			'this is not a mailbox line',
			JSON.stringify({id: 'ok-1', from: 'cmux:w1', to: 'boss', subject: 'after the bad ones'}),
		].join('\n') + '\n');
		await box.waitState('ok-1', 'delivered');
		await waitFor(() => box.received(workerLog).some(line => line.includes('[REJECTED] mailbox line 1')), {what: 'the notice in the sender pane'});
		await waitFor(() => box.received(bossLog).some(line => line.includes('[REJECTED] mailbox line 2')), {what: 'the notice in the supervisor pane'});
		const rejected = box.events.filter(event => event.type === 'message.rejected');
		t.deepEqual(rejected.map(event => [(event as {line: number}).line, (event as {notified?: string}).notified]), [[1, 'cmux:w1'], [2, 'boss']]);
		// The notices are messages like any other: delivered once, never parsed as lines (no loop).
		t.is(box.events.filter(event => event.type === 'message.received' && (event as {notice?: boolean}).notice).length, 2);
		t.like(box.store().db.prepare(`SELECT count(*) AS n FROM messages WHERE id LIKE 'rejected-%' AND state = 'delivered'`).get(), {n: 2});
	} finally {
		await box.cleanup();
	}
});

test.serial('a status update line emits message.status and shows in status --json', async t => {
	const lock = testLock();
	const box = await mailboxHarness({mailbox: {lockFile: lock}});
	try {
		await box.start();
		await cmuxAppend(box.paths.mailboxFile, lock, {id: 'task-1', ts: '2026-01-31T06:00:00Z', from: 'cmux:supervisor', to: 'user', subject: 'build the thing', status: 'submitted'}).done;
		await box.waitState('task-1', 'delivered');
		// CMUX's `mailbox update task-1 working`: a status_update line (and the same change through the API).
		await cmuxAppend(box.paths.mailboxFile, lock, {type: 'status_update', id: 'task-1', ts: '2026-01-31T06:01:00Z', from: 'cmux:w1', status: 'working'}).done;
		await cmuxAppend(box.paths.mailboxFile, lock, {type: 'status_update', id: 'task-1', ts: '2026-01-31T06:01:00Z', from: 'cmux:w1', status: 'working'}).done;
		await cmuxAppend(box.paths.mailboxFile, lock, {type: 'status_update', id: 'task-1', ts: '2026-01-31T06:02:00Z', from: 'cmux:w1', status: 'completed'}).done;
		const completed = await waitFor(() => box.events.find(event => event.type === 'message.status' && (event as {status?: string}).status === 'completed'));
		t.like(completed, {id: 'task-1', from: 'cmux:supervisor', to: 'user', previous: 'working'});
		t.is(box.events.filter(event => event.type === 'message.status').length, 2, 'a repeated status is not a change');
		const status = await runCli(['status', '--json'], {cwd: box.root});
		const report = JSON.parse(status.stdout) as {mailbox: {toUser: Array<{id: string; taskStatus: string}>; statusUpdates: Array<{id: string; status: string}>}};
		t.like(report.mailbox.toUser[0], {id: 'task-1', taskStatus: 'completed'});
		t.like(report.mailbox.statusUpdates[0], {id: 'task-1', status: 'completed'});
	} finally {
		await box.cleanup();
	}
});

test('cmux-tui send writes cmux addresses and takes the mailbox flock', async t => {
	const lock = testLock();
	const box = await mailboxHarness({session: 'proj', mailbox: {lockFile: lock}});
	try {
		const result = await runCli(['send', 'worker-1', 'hello', '--from', 'supervisor', '--body', 'text'], {cwd: box.root});
		t.is(result.exitCode, 0, result.stderr);
		await runCli(['send', 'user', 'to you'], {cwd: box.root, env: {CMUX_AGENT_NAME: 'w2'}});
		const lines = fs.readFileSync(box.paths.mailboxFile, 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
		t.like(lines[0], {from: 'proj:supervisor', to: 'proj:worker-1', subject: 'hello', body: 'text', status: 'submitted'});
		t.like(lines[1], {from: 'proj:w2', to: 'user'});
		t.true(fs.existsSync(lock), 'the configured lock file was taken');
	} finally {
		await box.cleanup();
	}
});
