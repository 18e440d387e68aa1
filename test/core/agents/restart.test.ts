import test from 'ava';
import {decideRestart} from '../../../source/core/agents/restart-policy.js';
import {FakeClock} from '../../helpers/fake-clock.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand, startHarness} from './harness.js';

const options = {base: 100, max: 1000, limit: 5, window: 60_000};

test('on-failure restarts a non-zero exit with a doubling delay', t => {
	t.deepEqual(decideRestart('on-failure', {reason: 'process-exited', code: 1}, [], 0, options), {action: 'restart', delay: 100, attempt: 1});
	t.deepEqual(decideRestart('on-failure', {reason: 'process-exited', code: 1}, [0, 1], 2, options), {action: 'restart', delay: 400, attempt: 3});
	t.deepEqual(decideRestart('on-failure', {reason: 'process-exited', code: 0}, [], 0, options), {action: 'stay-down'});
	t.deepEqual(decideRestart('never', {reason: 'process-exited', code: 1}, [], 0, options), {action: 'stay-down'});
	t.deepEqual(decideRestart('always', {reason: 'process-exited', code: 0}, [], 0, options), {action: 'restart', delay: 100, attempt: 1});
});

test('more than five restarts inside the window is a crash loop', t => {
	t.deepEqual(decideRestart('always', {reason: 'process-exited', code: 1}, [1, 2, 3, 4, 5], 10, options), {action: 'fail', restarts: 5});
	t.is(decideRestart('always', {reason: 'process-exited', code: 1}, [1, 2, 3, 4, 5], 70_000, options).action, 'restart');
});

test.serial('a crashing agent is restarted with backoff, then marked failed and left down', async t => {
	const h = await startHarness([{name: 'crash', command: fixtureCommand('crash-agent'), env: {CRASH_AFTER_MS: '50', CRASH_CODE: '7'}, restart: 'on-failure'}], {restart: {base: 50, max: 200}});
	try {
		const escalated = await h.event('agent.escalated', 'crash', 30_000);
		t.like(escalated, {reason: 'crash-loop', restarts: 5});
		const exits = h.events.filter(event => event.type === 'agent.exited');
		t.true(exits.length >= 6);
		t.like(exits[0], {reason: 'process-exited', code: 7});
		t.is(h.events.filter(event => event.type === 'agent.restarted').length, 5);
		await waitFor(() => h.service.records.get('crash')?.state === 'failed');
		const row = h.running.orchestrator.context.store.db.prepare('SELECT state, restarts FROM agents WHERE name = ?').get('crash') as {state: string; restarts: number};
		t.deepEqual(row, {state: 'failed', restarts: 5});
		await h.noRestartPending('crash');
		t.is(h.events.filter(event => event.type === 'agent.started').length, 6);
		await h.running.orchestrator.api.call('agents.restart', {name: 'crash'});
		t.is(h.events.filter(event => event.type === 'agent.started').length, 7);
	} finally {
		await h.cleanup();
	}
});

test.serial('an agent that exits with code zero stays down under on-failure', async t => {
	const h = await startHarness([{name: 'ok', command: fixtureCommand('crash-agent'), env: {CRASH_AFTER_MS: '50', CRASH_CODE: '0'}, restart: 'on-failure'}]);
	try {
		t.like(await h.event('agent.exited', 'ok'), {reason: 'process-exited', code: 0});
		await waitFor(() => h.service.records.get('ok')?.state === 'exited');
		await h.noRestartPending('ok');
		t.is(h.events.filter(event => event.type === 'agent.started').length, 1);
	} finally {
		await h.cleanup();
	}
});

test.serial('restart delays follow the injected clock: nothing before the backoff ends, the restart right after', async t => {
	const clock = new FakeClock();
	const h = await startHarness([{name: 'crash', command: fixtureCommand('crash-agent'), env: {CRASH_AFTER_MS: '50', CRASH_CODE: '7'}, restart: 'on-failure'}], {restart: {base: 1000, max: 4000}}, undefined, clock);
	const started = () => h.events.filter(event => event.type === 'agent.started').length;
	try {
		for (const [attempt, delay] of [[1, 1000], [2, 2000], [3, 4000], [4, 4000]] as const) {
			await waitFor(() => h.service.records.get('crash')?.state === 'restarting', {what: `restart ${attempt} scheduled`});
			t.deepEqual(clock.pending(), [delay], 'the backoff doubles up to its maximum');
			clock.advance(delay - 1);
			await h.service.settled();
			t.is(started(), attempt, `restart ${attempt} waits for its ${delay} ms`);
			clock.advance(1);
			await waitFor(() => started() === attempt + 1, {what: `restart ${attempt}`});
		}
	} finally {
		await h.cleanup();
	}
});
