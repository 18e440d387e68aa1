import path from 'node:path';
import test from 'ava';
import {portIsFree} from '../../source/core/doctor.js';
import type {CmuxEvent} from '../../source/core/events.js';
import {fixturesDir} from '../helpers/paths.js';
import {freePort} from '../helpers/project.js';
import {socketProject, startOrchestrator} from '../helpers/run.js';

const agent = (name: string) => `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', `${name}.js`))}`;
const devServer = path.join(fixturesDir, 'server', 'dev-server.js');

/**
 * Let real time pass in the orchestrator, a separate process on the real clock: a restart there
 * becomes due only after its delay. Always followed by `run.mark()`, the later event that proves
 * the stream holds everything that happened meanwhile.
 */
async function pause(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

test.serial('server stop through the running orchestrator stays stopped until server start', async t => {
	const port = await freePort();
	const project = socketProject({server: {
		command: `node '${devServer}'`, port, healthUrl: `http://127.0.0.1:${port}/health`, interval: '1s', failures: 3, stopTimeout: '500ms', startTimeout: '20s', restart: 'always',
	}});
	const run = await startOrchestrator(project);
	try {
		await run.next('server.started');
		const stopped = await project.cli(['server', 'stop', '--json']);
		t.is(stopped.exitCode, 0, stopped.stderr);
		t.like(JSON.parse(stopped.stdout), {ok: true, action: 'stop', portFree: true, survivors: []});
		// The issue asks for 10 s without a restart: 10 probe intervals of a service that restarts `always`.
		await pause(10_000);
		await run.mark();
		t.is(run.of('server.stopped').length, 1);
		t.is(project.stored('server.stopped').length, 1);
		const since = (from: CmuxEvent) => run.events.slice(run.events.indexOf(from) + 1).filter(event => event.type.startsWith('server.'));
		const stoppedEvent = run.of('server.stopped')[0]!;
		t.deepEqual(since(stoppedEvent), [], 'nothing happened to the server after it stopped');
		t.true(await portIsFree(port));
		const startedBefore = project.stored('server.started').length;

		const started = await project.cli(['server', 'start', '--json']);
		t.is(started.exitCode, 0, started.stderr);
		t.like(JSON.parse(started.stdout), {ok: true, action: 'start', adopted: false});
		await run.mark();
		t.is(since(stoppedEvent)[0]?.type, 'server.started', 'server start started it again');
		t.true(project.stored('server.started').length > startedBefore);
	} finally {
		await project.cli(['server', 'stop']);
		await run.stop();
		await project.cleanup();
	}
});

test.serial('agents kill through the running orchestrator: one exited, one killed, no restart', async t => {
	const project = socketProject({agents: [{name: 'w1', command: agent('silent-agent'), restart: 'always', stopTimeout: '500ms'}]});
	const run = await startOrchestrator(project);
	try {
		await run.next('agent.started', event => event.agent === 'w1');
		const killed = await project.cli(['agents', 'kill', 'w1', '--json']);
		t.is(killed.exitCode, 0, killed.stderr);
		t.like(JSON.parse(killed.stdout), {agent: 'w1', survivors: []});
		// Longer than the first restart backoff (500 ms), then a later event.
		await pause(1500);
		await run.mark();
		for (const type of ['agent.exited', 'agent.killed']) {
			t.is(run.of(type, 'w1').length, 1, `${type} in the stream`);
			t.is(project.stored(type, 'w1').length, 1, `${type} in cmux.db`);
		}

		t.like(run.of('agent.exited', 'w1')[0], {reason: 'killed'});
		t.is(run.of('agent.started', 'w1').length, 1, 'a killed agent is not restarted');
		t.is(run.of('agent.restarted', 'w1').length, 0);
	} finally {
		await run.stop();
		await project.cleanup();
	}
});

test.serial('spawn, register and unregister through the running orchestrator appear once each', async t => {
	const project = socketProject();
	const run = await startOrchestrator(project);
	try {
		const spawned = await project.cli(['agents', 'spawn', 'w2', '--command', agent('silent-agent'), '--json']);
		t.is(spawned.exitCode, 0, spawned.stderr);
		t.like(JSON.parse(spawned.stdout), {name: 'w2', window: 'ctl:w2', source: 'spawn'});
		await project.tmux.run(['new-window', '-d', '-t', 'ctl', '-n', 'ext', agent('silent-agent')]);
		const registered = await project.cli(['register', 'ext', '--json']);
		t.is(registered.exitCode, 0, registered.stderr);
		t.like(JSON.parse(registered.stdout), {name: 'ext', window: 'ctl:ext', source: 'register'});
		await run.mark();
		const unregistered = await project.cli(['unregister', 'ext', '--json']);
		t.deepEqual(JSON.parse(unregistered.stdout), {agent: 'ext', removed: true});
		await pause(500);
		await run.mark();
		for (const [type, name] of [['agent.started', 'w2'], ['agent.registered', 'w2'], ['agent.registered', 'ext'], ['agent.unregistered', 'ext']] as const) {
			t.is(run.of(type, name).length, 1, `${type} ${name} in the stream`);
			t.is(project.stored(type, name).length, 1, `${type} ${name} in cmux.db`);
		}

		t.is(run.of('agent.exited', 'ext').length, 0, 'an unregistered agent is left alone');
	} finally {
		await run.stop();
		await project.cleanup();
	}
});

test.serial('errors cross the socket with the exit code and message of the direct command', async t => {
	const project = socketProject({agents: [{name: 'w1', command: agent('silent-agent')}]});
	const direct = {
		unknown: await project.cli(['agents', 'kill', 'nobody']),
		bad: await project.cli(['agents', 'spawn', 'bad!name', '--command', 'true']),
	};
	const run = await startOrchestrator(project);
	try {
		const unknown = await project.cli(['agents', 'kill', 'nobody']);
		t.is(unknown.exitCode, 1);
		t.is(unknown.stderr, 'cmux-tui: unknown agent nobody\n');
		t.is(direct.unknown.exitCode, 1);
		const bad = await project.cli(['agents', 'spawn', 'bad!name', '--command', 'true']);
		t.is(bad.exitCode, 2);
		t.is(bad.stderr, direct.bad.stderr);
		t.regex(bad.stderr, /^cmux-tui: agents\.spawn: params\.name: expected an agent name/);
		t.is(direct.bad.exitCode, 2);
	} finally {
		await run.stop();
		await project.cleanup();
	}
});

test.serial('without an orchestrator the same commands act directly and record each event once', async t => {
	const project = socketProject({agents: [{name: 'w1', command: agent('silent-agent'), stopTimeout: '500ms'}]});
	try {
		t.is((await project.cli(['agents', 'spawn', 'w1'])).exitCode, 0);
		t.is((await project.cli(['beat', 'w1'])).exitCode, 0);
		const sent = await project.cli(['send', 'w1', 'hello', '--json']);
		// send writes CMUX's session:NAME form (the session here is `ctl`).
		t.like(JSON.parse(sent.stdout), {from: 'user', to: 'ctl:w1', subject: 'hello', status: 'submitted'});
		await project.tmux.run(['new-window', '-d', '-t', 'ctl', '-n', 'ext', agent('silent-agent')]);
		t.is((await project.cli(['register', 'ext'])).exitCode, 0);
		t.is((await project.cli(['unregister', 'ext'])).exitCode, 0);
		const killed = await project.cli(['agents', 'kill', 'w1', '--json']);
		t.is(killed.exitCode, 0, killed.stderr);
		t.like(JSON.parse(killed.stdout), {agent: 'w1', survivors: []});
		for (const [type, name] of [['agent.started', 'w1'], ['agent.exited', 'w1'], ['agent.killed', 'w1'], ['agent.registered', 'ext'], ['agent.unregistered', 'ext']] as const) {
			t.is(project.stored(type, name).length, 1, `${type} ${name}`);
		}
	} finally {
		await project.cleanup();
	}
});
