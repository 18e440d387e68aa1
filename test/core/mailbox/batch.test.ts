import fs from 'node:fs';
import test from 'ava';
import {shownInOrder} from '../../../source/core/mailbox/batch-pane.js';
import {PaneDriver} from '../../../source/core/mailbox/pane.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {echoAgent, mailboxHarness} from './harness.js';

test('a text counts as shown only at the end of a line of its own, in order, never on a longer look-alike', t => {
	t.is(shownInOrder(['PROMPT> [b] s 12', 'PROMPT> [b] s 2'], ['[b] s 1', '[b] s 2']), 0, 's 12 is not s 1');
	t.is(shownInOrder(['PROMPT> [b] s 2', 'PROMPT> [b] s 1'], ['[b] s 1', '[b] s 2']), 1, 'out of order: only the first counts');
	t.is(shownInOrder(['PROMPT> [b] ping', 'ECHO: [b] ping'], ['[b] ping', '[b] ping']), 2, 'each line confirms one text');
	t.is(shownInOrder(['PROMPT> [b] ping'], ['[b] ping', '[b] ping']), 1);
	t.is(shownInOrder(['PROMPT> [b]  a\tlong', 'text'], ['[b] a longtext']), 0, 'a text is never pieced together from two lines');
	t.is(shownInOrder(['PROMPT> [b] a  long   text'], ['[b] a long text']), 1, 'whitespace is folded');
});

/** A private tmux server with an echo agent in a `width`-column window, and a PaneDriver on it. */
async function echoPane(width: number, historyLimit?: number) {
	const tmux = privateTmux('batch');
	await tmux.run(['new-session', '-d', '-s', 'b', '-n', 'shell', '-x', String(width), '-y', '20']);
	if (historyLimit !== undefined) {
		await tmux.run(['set-option', '-g', 'history-limit', String(historyLimit)]);
	}

	await tmux.run(['new-window', '-d', '-t', 'b', '-n', 'echo', process.execPath, echoAgent]);
	await waitFor(async () => (await tmux.run(['capture-pane', '-p', '-t', 'b:=echo'])).includes('PROMPT>'), {what: 'the prompt'});
	const driver = new PaneDriver(new ExecTmuxClient(tmux.socket));
	const pane = (await driver.locate('b:=echo'))!;
	return {tmux, driver, pane: pane.pane};
}

test.serial('texts that wrap in a narrow pane are confirmed, all of them, in one batch', async t => {
	const {tmux, driver, pane} = await echoPane(40);
	try {
		const texts = Array.from({length: 6}, (_, index) => `[sup] message ${index} ${'wrapping words '.repeat(3 + (index * 2))}end`);
		t.is(await driver.confirmLines(await driver.typeLines(pane, texts), texts), texts.length);
	} finally {
		await tmux.kill();
	}
});

test.serial('batches keep being confirmed while tmux trims the history under them', async t => {
	// A limit of 400 lines is trimmed by 40 at once; 25 batches of 12 texts print about 600 lines.
	const {tmux, driver, pane} = await echoPane(80, 400);
	try {
		const shown: number[] = [];
		for (let batch = 0; batch < 25; batch++) {
			const texts = Array.from({length: 12}, (_, index) => `[sup] batch ${batch} text ${index}`);
			shown.push(await driver.confirmLines(await driver.typeLines(pane, texts), texts));
		}

		const history = Number(await tmux.run(['display-message', '-p', '-t', pane, '#{history_size}']));
		t.true(history < 400, 'the history was trimmed');
		t.deepEqual(shown, Array.from({length: 25}, () => 12));
	} finally {
		await tmux.kill();
	}
});

test.serial('a burst to an agent that drops keys while it takes a line: the dropped messages are typed again, each arrives once, in order', async t => {
	const box = await mailboxHarness({agents: [{name: 'late', command: 'true'}], mailbox: {retryBase: '200ms', retryMax: '200ms', maxAttempts: 10}});
	try {
		// ECHO_LATE_MS: the first line sits on the input row for 400 ms and keys typed meanwhile are lost.
		const log = await box.agent('late', {ECHO_LATE_MS: '400'});
		const subjects = ['one', 'two', 'three', 'four', 'five'];
		fs.appendFileSync(box.paths.mailboxFile, subjects.map(subject => `${JSON.stringify({id: subject, from: 'sup', to: 'late', subject})}\n`).join(''));
		await box.start({confirmMs: 1500});
		await waitFor(() => subjects.every(id => box.state(id)?.state === 'delivered'), {timeout: 30_000, what: 'all five delivered'});
		await waitFor(() => box.received(log).length >= subjects.length);
		t.deepEqual(box.received(log), subjects.map(subject => `[sup] ${subject}`));
		t.true(box.events.some(event => event.type === 'message.retry' && String(event.error).startsWith('unconfirmed: not shown in the pane after the messages typed with it')), 'they went in one batch, and the pane did not show all of it');
		t.false(box.events.some(event => event.type === 'message.retry' && (event as {id?: string}).id === 'one'), 'the first one was confirmed by the batch');
	} finally {
		await box.cleanup();
	}
});

test.serial('an agent of a TUI kind never gets messages in a batch', async t => {
	const box = await mailboxHarness({agents: [{name: 'tui', command: 'true', kind: 'claude'}], mailbox: {retryBase: '200ms', retryMax: '200ms', maxAttempts: 10}});
	try {
		const log = await box.agent('tui', {ECHO_LATE_MS: '400'});
		const subjects = ['one', 'two', 'three'];
		fs.appendFileSync(box.paths.mailboxFile, subjects.map(subject => `${JSON.stringify({id: subject, from: 'sup', to: 'tui', subject})}\n`).join(''));
		await box.start({confirmMs: 1500});
		await waitFor(() => subjects.every(id => box.state(id)?.state === 'delivered'), {timeout: 30_000, what: 'all three delivered'});
		await waitFor(() => box.received(log).length >= subjects.length);
		t.deepEqual(box.received(log), subjects.map(subject => `[sup] ${subject}`));
		t.false(box.events.some(event => event.type === 'message.retry'), 'one at a time: no key was typed while the agent was taking a line');
	} finally {
		await box.cleanup();
	}
});
