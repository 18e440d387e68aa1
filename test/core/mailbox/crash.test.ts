import test from 'ava';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {deliveryText} from '../../../source/core/mailbox/render.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

/** Put a message in `delivering` as a crashed orchestrator would have left it, with its pane mark. */
async function leaveDelivering(box: Awaited<ReturnType<typeof mailboxHarness>>, id: string, subject: string, pane?: string) {
	const [row] = (await box.tmux.run(['list-panes', '-t', 'cmux:=worker-1', '-F', '#{pane_id} #{history_size} #{cursor_y} #{history_limit}'])).split('\n');
	const [paneId, history, cursor, limit] = row!.split(' ');
	const mark = {pane: pane ?? paneId, row: Number(history) + Number(cursor), historyLimit: Number(limit)};
	box.store().db.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, state, attempts, delivery_mark) VALUES (?, ?, 'sup', 'worker-1', ?, 'delivering', 0, ?)`)
		.run(id, new Date().toISOString(), subject, JSON.stringify(mark));
	return paneId!;
}

test.serial('a delivering message whose text is stuck on the input line is confirmed with enter, not typed again', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		const pane = await leaveDelivering(box, 'c1', 'crashed before enter');
		await box.tmux.run(['send-keys', '-t', pane, '-l', deliveryText({from: 'sup', subject: 'crashed before enter'}, box.root)]);
		await box.restart();
		await box.waitState('c1', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] crashed before enter']);
		t.like(box.state('c1'), {maybeDuplicate: 0});
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message already in the pane is confirmed without sending it again', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		const pane = await leaveDelivering(box, 'c2', 'crashed after enter');
		await box.tmux.run(['send-keys', '-t', pane, '-l', '[sup] crashed after enter']);
		await box.tmux.run(['send-keys', '-t', pane, 'Enter']);
		await waitFor(() => box.received(log).length >= 1);
		await box.restart();
		await box.waitState('c2', 'delivered');
		// A later message to the same recipient is delivered after c2 in order: had c2 been sent
		// again, it would be in the log before the marker.
		await appendMessage(box.paths.mailboxFile, {id: 'c2-marker', from: 'sup', to: 'worker-1', subject: 'marker'});
		await box.waitState('c2-marker', 'delivered');
		await waitFor(() => box.received(log).includes('[sup] marker'), {what: 'the marker in the log'});
		t.deepEqual(box.received(log), ['[sup] crashed after enter', '[sup] marker']);
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message not yet in the pane is sent again without a duplicate flag', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		await leaveDelivering(box, 'c3', 'crashed before typing');
		await box.restart();
		await box.waitState('c3', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] crashed before typing']);
		t.like(box.state('c3'), {maybeDuplicate: 0});
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message whose pane is gone is retried and flagged as a possible duplicate', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		await leaveDelivering(box, 'c4', 'pane vanished', '%999');
		await box.restart();
		await box.waitState('c4', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] pane vanished']);
		t.like(box.state('c4'), {maybeDuplicate: 1});
	} finally {
		await box.cleanup();
	}
});
