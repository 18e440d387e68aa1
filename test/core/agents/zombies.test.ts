import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {isAlive} from '../../../source/core/process/table.js';
import {readRegistry} from '../../../source/core/registry/registry.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand, startHarness} from './harness.js';

test.serial('a dead pane found at start is a zombie: reported, closed, and the agent started fresh', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent')}], {}, async ({tmux}) => {
		await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'home']);
		// tmux 3.3 sometimes marks a pane dead without ever reporting its status: make the dead pane
		// again until tmux knows the status, since this window stands for one an older run left.
		for (let attempt = 0; ; attempt++) {
			await tmux.run(['new-window', '-d', '-t', 'cmux:', '-n', 'w1', 'exit 3', ';', 'set-option', '-w', '-t', 'cmux:=w1', 'remain-on-exit', 'on']);
			const known = await waitFor(async () => (await tmux.run(['list-panes', '-t', 'cmux:=w1', '-F', '#{pane_dead}:#{pane_dead_status}'])) === '1:3', {timeout: 2000}).catch(() => false);
			if (known || attempt === 4) {
				break;
			}

			await tmux.run(['kill-window', '-t', 'cmux:=w1']);
		}
	});
	try {
		const zombie = await h.event('agent.zombie', 'w1');
		t.like(zombie, {form: 'dead-pane', code: 3});
		await h.event('agent.started', 'w1');
		const dead = await h.tmux.run(['list-panes', '-s', '-t', 'cmux', '-F', '#{window_name} #{pane_dead}']);
		t.false(dead.includes('w1 1'));
	} finally {
		await h.cleanup();
	}
});

test.serial('a process still alive after its window closed is a zombie and is killed', async t => {
	const pidsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-pids-')), 'pids.json');
	const h = await startHarness([{name: 'fork', command: fixtureCommand('forking-agent'), env: {PIDS_FILE: pidsFile}, restart: 'never', stopTimeout: '300ms'}]);
	try {
		await h.event('agent.started', 'fork');
		const pids = await waitFor(() => fs.existsSync(pidsFile) && JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as {parent: number; child: number; daemon: number}) as {parent: number; child: number; daemon: number};
		await h.tmux.run(['kill-window', '-t', 'cmux:fork']);
		t.like(await h.event('agent.exited', 'fork'), {reason: 'window-closed'});
		const zombie = await h.event('agent.zombie', 'fork');
		t.is((zombie as unknown as {form: string}).form, 'process-alive');
		t.true((zombie as unknown as {pids: number[]}).pids.includes(pids.daemon));
		await h.event('agent.stale_removed', 'fork');
		await waitFor(() => !isAlive(pids.daemon) && !isAlive(pids.child) && !isAlive(pids.parent), {what: 'the tree to be gone'});
		t.false('fork' in readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry);
	} finally {
		await h.cleanup();
		fs.rmSync(path.dirname(pidsFile), {recursive: true, force: true});
	}
});
