import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readRegistry} from '../../../source/core/registry/registry.js';
import {isAlive} from '../../../source/core/process/table.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand, startHarness} from './harness.js';

test.serial('configured agents start in windows named after them with the cmux variables', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent')}, {name: 'w2', command: fixtureCommand('silent-agent'), env: {EXTRA: 'x y'}}]);
	try {
		await h.event('agent.started', 'w1');
		await h.event('agent.started', 'w2');
		const names = (await h.tmux.run(['list-windows', '-t', 'cmux', '-F', '#{window_name}'])).split('\n');
		t.true(names.includes('w1') && names.includes('w2'));
		const entry = readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry.w2!;
		const environ = fs.readFileSync(`/proc/${entry.pid}/environ`, 'latin1').split('\0');
		t.true(environ.includes('CMUX_AGENT_NAME=w2'));
		t.true(environ.includes('CMUX_SESSION=cmux'));
		t.true(environ.includes(`CMUX_PROJECT_ROOT=${h.root}`));
		t.true(environ.includes('EXTRA=x y'));
		t.true(environ.includes(`CMUX_COOKIE=${entry.cookie}`));
	} finally {
		await h.cleanup();
	}
});

test.serial('agents of an earlier run are adopted after an orchestrator restart, not started twice', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent')}]);
	try {
		const started = await h.event('agent.started', 'w1');
		const pid = (started as {pid: number}).pid;
		await h.restart();
		await waitFor(() => h.service.records.get('w1')?.state === 'running', {what: 'w1 adopted'});
		// Launched once; the restart announces the adopted window (agent.started with adopted: true).
		t.is(h.events.filter(event => event.type === 'agent.started' && !(event as {adopted?: boolean}).adopted).length, 1);
		t.like(h.events.find(event => event.type === 'agent.started' && (event as {adopted?: boolean}).adopted), {agent: 'w1', pid});
		t.true(isAlive(pid));
		t.is(h.service.records.get('w1')?.pid, pid);
		const windows = (await h.tmux.run(['list-windows', '-t', 'cmux', '-F', '#{window_name}'])).split('\n').filter(name => name === 'w1');
		t.is(windows.length, 1);
	} finally {
		await h.cleanup();
	}
});

test.serial('a window killed from outside is reported exited then removed from the registry', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent'), restart: 'on-failure'}]);
	try {
		await h.event('agent.started', 'w1');
		await h.tmux.run(['kill-window', '-t', 'cmux:w1']);
		const exited = await h.event('agent.exited', 'w1');
		t.is((exited as {reason: string}).reason, 'window-closed');
		await h.event('agent.stale_removed', 'w1');
		t.false('w1' in readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry);
		const types = h.events.filter(event => 'agent' in event).map(event => event.type);
		t.true(types.indexOf('agent.exited') < types.indexOf('agent.stale_removed'));
	} finally {
		await h.cleanup();
	}
});

test.serial('windows killed together are each reported exited and removed once', async t => {
	const names = ['b1', 'b2', 'b3', 'b4', 'b5'];
	const h = await startHarness(names.map(name => ({name, command: fixtureCommand('silent-agent'), restart: 'never'})));
	try {
		for (const name of names) {
			await h.event('agent.started', name);
		}

		// One command line: tmux closes the five windows at once and reports them in one burst.
		await h.tmux.run(names.flatMap((name, index) => [...(index > 0 ? [';'] : []), 'kill-window', '-t', `cmux:${name}`]));
		for (const name of names) {
			await h.event('agent.stale_removed', name);
		}

		await h.service.settled();
		for (const name of names) {
			const exits = h.events.filter(event => event.type === 'agent.exited' && (event as {agent: string}).agent === name);
			t.deepEqual(exits.map(event => (event as {reason: string}).reason), ['window-closed']);
			t.is(h.events.filter(event => event.type === 'agent.stale_removed' && (event as {agent: string}).agent === name).length, 1);
			t.is(h.service.records.get(name)?.state, 'exited');
		}

		t.deepEqual(readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry, {});
		t.false(h.events.some(event => event.type === 'agent.zombie'));
	} finally {
		await h.cleanup();
	}
});

test.serial('check reports agents running and doctor reports stale entries', async t => {
	const h = await startHarness([{name: 'w1', command: fixtureCommand('silent-agent')}]);
	try {
		await h.event('agent.started', 'w1');
		const {runCli} = await import('../../helpers/project.js');
		const check = await runCli(['check', '--json'], {cwd: h.root});
		t.true(String(check.stdout).includes('running in cmux:w1'), String(check.stdout));
		await h.running.shutdown('test');
		await h.tmux.run(['kill-window', '-t', 'cmux:w1']);
		const doctor = await runCli(['doctor'], {cwd: h.root});
		t.regex(String(doctor.stdout), /stale registry entries: w1 \(cmux:w1\)/);
		const list = await runCli(['agents', 'list', '--json'], {cwd: h.root});
		t.like((JSON.parse(String(list.stdout)) as Array<Record<string, unknown>>)[0], {name: 'w1', state: 'missing', registered: true, configured: true});
	} finally {
		await h.cleanup();
	}
});
