import fs from 'node:fs';
import test from 'ava';
import {confirmShown} from '../../../source/core/mailbox/batch.js';
import {PaneDriver} from '../../../source/core/mailbox/pane.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import type {TmuxClient} from '../../../source/core/tmux/client.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

test.serial('a backlog to one agent is typed in batches and arrives in order, each message once', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		const lines = Array.from({length: 300}, (_, index) => JSON.stringify({id: `b${index}`, from: 'boss', to: 'worker-1', subject: `job ${index}`}));
		// Written before the start: the whole backlog is waiting when the router first looks.
		fs.writeFileSync(box.paths.mailboxFile, `${lines.join('\n')}\n`);
		await box.start();
		await waitFor(() => box.events.filter(event => event.type === 'message.delivered').length === 300, {timeout: 60_000, what: '300 delivered'});
		await waitFor(() => box.received(log).length >= 300, {timeout: 20_000, what: '300 lines in the agent'});
		t.deepEqual(box.received(log), Array.from({length: 300}, (_, index) => `[boss] job ${index}`));
		const delivered = box.events.filter(event => event.type === 'message.delivered').map(event => (event as {id: string}).id);
		t.deepEqual(delivered, Array.from({length: 300}, (_, index) => `b${index}`));
	} finally {
		await box.cleanup();
	}
});

test.serial('typing a batch is one tmux command line', async t => {
	const tmux = privateTmux('batch');
	await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'cat', 'cat']);
	const exec = new ExecTmuxClient(tmux.socket);
	const commands: string[][] = [];
	const counting: TmuxClient = {
		run: async args => {
			commands.push([...args]);
			return exec.run(args);
		},
		close: async () => exec.close(),
	};
	try {
		const driver = new PaneDriver(counting);
		const location = (await driver.locate('cmux:=cat'))!;
		commands.length = 0;
		await driver.typeLines(location.pane, ['first; one', 'second', 'third $(x)']);
		t.is(commands.length, 1);
		t.true(await confirmShown(driver, location.pane, ['first; one', 'second', 'third $(x)'], location.historySize + location.cursorY));
		const screen = await tmux.run(['capture-pane', '-p', '-t', location.pane]);
		// The terminal's echo of the three lines, in the order typed (then cat's copies).
		t.true(screen.startsWith('first; one\nsecond\nthird $(x)\n'));
	} finally {
		await tmux.kill();
	}
});

test.serial('a batch is not confirmed while its text never shows in the pane', async t => {
	const tmux = privateTmux('batch');
	// No echo and nothing printed: whatever is typed never shows.
	await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'mute', 'stty -echo; exec cat > /dev/null']);
	try {
		const driver = new PaneDriver(new ExecTmuxClient(tmux.socket));
		const location = (await driver.locate('cmux:=mute'))!;
		// `cat` runs only after `stty -echo` has switched the echo off.
		await waitFor(async () => (await tmux.run(['display-message', '-p', '-t', location.pane, '#{pane_current_command}'])) === 'cat', {what: 'cat running'});
		await driver.typeLines(location.pane, ['one', 'two']);
		t.false(await confirmShown(driver, location.pane, ['one', 'two'], location.historySize + location.cursorY, 400));
	} finally {
		await tmux.kill();
	}
});
