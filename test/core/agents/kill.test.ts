import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {isAlive} from '../../../source/core/process/table.js';
import {readRegistry} from '../../../source/core/registry/registry.js';
import {runCli} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand, startHarness} from './harness.js';

type Pids = {parent: number; child: number; daemon: number};

async function readPids(file: string): Promise<Pids> {
	return waitFor(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')) as Pids) as Promise<Pids>;
}

test.serial('killing the forking fixture leaves no process behind', async t => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-pids-'));
	const pidsFile = path.join(folder, 'pids.json');
	const h = await startHarness([{name: 'fork', command: fixtureCommand('forking-agent'), env: {PIDS_FILE: pidsFile, IGNORE_SIGTERM: '1'}, stopTimeout: '500ms'}]);
	try {
		const pids = await readPids(pidsFile);
		await h.running.orchestrator.api.call('agents.kill', {name: 'fork'});
		for (const pid of Object.values(pids)) {
			t.false(isAlive(pid), `pid ${pid} survived`);
		}

		t.like(h.events.find(event => event.type === 'agent.killed'), {agent: 'fork', survivors: 0});
		t.like(h.events.find(event => event.type === 'agent.exited'), {agent: 'fork', reason: 'killed'});
		t.false((await h.tmux.run(['list-windows', '-t', 'cmux', '-F', '#{window_name}'])).split('\n').includes('fork'));
		await h.noRestartPending('fork');
		t.is(h.events.filter(event => event.type === 'agent.started').length, 1, 'a killed agent is not restarted');
	} finally {
		await h.cleanup();
		fs.rmSync(folder, {recursive: true, force: true});
	}
});

test.serial('agents kill from the command line stops the whole tree', async t => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-pids-'));
	const pidsFile = path.join(folder, 'pids.json');
	const h = await startHarness([{name: 'fork', command: fixtureCommand('forking-agent'), env: {PIDS_FILE: pidsFile}, stopTimeout: '300ms', restart: 'always'}]);
	try {
		const pids = await readPids(pidsFile);
		const result = await runCli(['agents', 'kill', 'fork', '--json'], {cwd: h.root});
		t.is(result.exitCode, 0, String(result.stderr));
		t.deepEqual((JSON.parse(String(result.stdout)) as {survivors: number[]}).survivors, []);
		for (const pid of Object.values(pids)) {
			t.false(isAlive(pid));
		}

		t.like(await h.event('agent.exited', 'fork'), {reason: 'killed'});
		await h.noRestartPending('fork');
		t.is(h.events.filter(event => event.type === 'agent.started').length, 1);
		t.false('fork' in readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry);
	} finally {
		await h.cleanup();
		fs.rmSync(folder, {recursive: true, force: true});
	}
});

test.serial('a corrupt registry is moved aside and rebuilt from tmux', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent')}]);
	try {
		await h.event('agent.started', 'w1');
		const file = path.join(h.root, '.cmux', 'agent_registry.json');
		fs.writeFileSync(file, '{not json');
		h.service.schedule();
		await waitFor(() => readRegistry(file).registry.w1?.window === 'cmux:w1', {what: 'the registry rebuilt'});
		t.true(fs.readdirSync(path.dirname(file)).some(name => name.startsWith('agent_registry.json.corrupt-')));
		t.is(h.running.orchestrator.context.store.serviceState('agents')?.status, 'degraded');
		t.is(h.events.filter(event => event.type === 'agent.started').length, 1);
	} finally {
		await h.cleanup();
	}
});

test.serial('orphans of a crashed run carrying the project cookie are swept at start', async t => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-pids-'));
	const pidsFile = path.join(folder, 'pids.json');
	const h = await startHarness([{name: 'fork', command: fixtureCommand('forking-agent'), env: {PIDS_FILE: pidsFile}, restart: 'never'}]);
	try {
		const pids = await readPids(pidsFile);
		// A crash: the orchestrator is gone and the window with it, only the setsid daemon is left.
		await h.running.shutdown('test');
		await h.tmux.run(['kill-window', '-t', 'cmux:fork']);
		await waitFor(() => !isAlive(pids.parent));
		t.true(isAlive(pids.daemon));
		fs.writeFileSync(path.join(h.root, '.cmux', 'agent_registry.json'), '{}');
		await h.restart();
		await waitFor(() => !isAlive(pids.daemon), {what: 'the orphan daemon to be killed'});
		t.pass();
	} finally {
		await h.cleanup();
		fs.rmSync(folder, {recursive: true, force: true});
	}
});
