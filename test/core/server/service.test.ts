import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {buildReport} from '../../../source/core/health/report.js';
import {nullLogger} from '../../../source/core/logger.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {openStore} from '../../../source/core/project.js';
import type {RestartPolicy} from '../../../source/core/server/restart-policy.js';
import {ServerService} from '../../../source/core/server/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import type {Clock} from '../../../source/core/clock.js';
import {FakeClock} from '../../helpers/fake-clock.js';
import {waitFor} from '../../helpers/wait.js';
import {alive, serverProject} from './server-helpers.js';

type Fixture = Awaited<ReturnType<typeof serverProject>>;

function orchestratorFor(fixture: Fixture, policy: Partial<RestartPolicy> = {}, clock?: Clock) {
	const store = openStore(fixture.project.paths);
	const orchestrator = new Orchestrator({
		config: fixture.project.config, paths: fixture.project.paths, store, log: nullLogger, ...(clock ? {clock} : {}),
		tmux: {run: async () => [], close: async () => undefined},
		factories: [context => new ServerService(context, context.config.server!, {backoffBase: 50, ...policy})],
	});
	const events: CmuxEvent[] = [];
	orchestrator.on('event', event => events.push(event));
	return {orchestrator, store, events, async close() {
		await orchestrator.stop();
		store.close();
	}};
}

test.serial('a restarted orchestrator adopts the running server', async t => {
	const fixture = await serverProject();
	try {
		const first = orchestratorFor(fixture);
		await first.orchestrator.start();
		const pid = first.store.serviceState('server')!.detail.pid as number;
		await first.close();
		t.deepEqual(alive([pid]), [pid]);
		const second = orchestratorFor(fixture);
		await second.orchestrator.start();
		t.like(second.store.serviceState('server'), {status: 'healthy', detail: {pid, adopted: true}});
		t.is(second.events.filter(event => event.type === 'server.started').length, 0);
		await second.close();
	} finally {
		await fixture.cleanup();
	}
});

test.serial('failed probes mark the server unhealthy and restart it', async t => {
	const failFile = path.join(os.tmpdir(), `health-fail-${process.pid}`);
	const fixture = await serverProject({HEALTH_FAIL_FILE: failFile});
	const running = orchestratorFor(fixture);
	try {
		await running.orchestrator.start();
		const pid = running.store.serviceState('server')!.detail.pid as number;
		fs.writeFileSync(failFile, '');
		await waitFor(() => running.events.find(event => event.type === 'server.unhealthy'), {what: 'server.unhealthy'});
		t.is(buildReport(running.store).status, 'unhealthy');
		t.regex(buildReport(running.store).server.reason!, /health check failed 2 times/);
		fs.rmSync(failFile);
		await waitFor(() => running.events.find(event => event.type === 'server.restarted'), {what: 'server.restarted'});
		await waitFor(() => running.store.serviceState('server')?.status === 'healthy', {what: 'healthy again'});
		const state = running.store.serviceState('server')!;
		t.not(state.detail.pid, pid);
		t.is(state.detail.restarts, 1);
		t.deepEqual(alive([pid]), []);
	} finally {
		fs.rmSync(failFile, {force: true});
		await running.orchestrator.api.call('server.stop', {});
		await running.close();
		await fixture.cleanup();
	}
});

test.serial('a crash loop stops the restarts and says why', async t => {
	// The probe is an hour away, so only the crash (the child's exit) and the restart timers act.
	const fixture = await serverProject({EXIT_AFTER_MS: '300'}, {interval: '1h'});
	// Restart delays run on a fake clock: each restart happens as soon as it is due, and "no restart
	// after giving up" is proven by no restart timer being left, not by waiting a while.
	const clock = new FakeClock();
	const running = orchestratorFor(fixture, {crashLoopRestarts: 2}, clock);
	const restartTimers = () => clock.pending().filter(ms => ms < 60_000);
	try {
		await running.orchestrator.start();
		const gaveUp = await waitFor(() => {
			clock.advance(restartTimers()[0] ?? 0);
			return running.events.find(event => event.type === 'server.unhealthy' && event.gaveUp);
		}, {what: 'giving up'});
		t.regex(String(gaveUp.why), /crash loop: 2 restarts/);
		t.is(gaveUp.restarts, 2);
		// Under load a restart may fail before the server is ready, so count restarts, not `server.restarted` events.
		const restartedBefore = running.events.filter(event => event.type === 'server.restarted').length;
		t.deepEqual(restartTimers(), [], 'no restart is scheduled after giving up');
		t.is(clock.pending().length, 1, 'only the probe timer is left');
		t.true(restartedBefore <= 2);
		t.is(running.events.filter(event => event.type === 'server.restarted').length, restartedBefore, 'no restart after giving up');
		t.like(running.store.serviceState('server'), {status: 'unhealthy'});
		t.regex(String(running.store.serviceState('server')!.detail.reason), /crash loop/);
	} finally {
		await running.close();
		await fixture.cleanup();
	}
});

test.serial('probes run every interval on the clock and only the configured failures restart the server', async t => {
	const failFile = path.join(os.tmpdir(), `health-fail-clock-${process.pid}`);
	const fixture = await serverProject({HEALTH_FAIL_FILE: failFile});
	const clock = new FakeClock();
	const running = orchestratorFor(fixture, {}, clock);
	try {
		await running.orchestrator.start();
		const pid = running.store.serviceState('server')!.detail.pid as number;
		t.deepEqual(clock.pending(), [200], 'the first probe is one interval away');
		fs.writeFileSync(failFile, '');
		clock.advance(199);
		t.deepEqual(clock.pending(), [1], 'no probe before the interval');
		clock.advance(1);
		await waitFor(() => running.store.serviceState('server')?.status === 'degraded', {what: 'the first failed probe'});
		await waitFor(() => clock.pending().length === 1, {what: 'the next probe to be scheduled'});
		t.deepEqual(clock.pending(), [200]);
		t.false(running.events.some(event => event.type === 'server.unhealthy'), 'one failed probe of two is not enough');
		clock.advance(200);
		const unhealthy = await waitFor(() => running.events.find(event => event.type === 'server.unhealthy'), {what: 'server.unhealthy'});
		t.like(unhealthy, {failures: 2});
		t.regex(String(unhealthy.reason), /health check failed 2 times/);
		await waitFor(() => clock.pending().includes(50), {what: 'the restart timer'});
		fs.rmSync(failFile);
		clock.advance(50);
		await waitFor(() => running.events.find(event => event.type === 'server.restarted'), {what: 'server.restarted'});
		t.like(running.store.serviceState('server'), {status: 'healthy'});
		t.not(running.store.serviceState('server')!.detail.pid, pid);
	} finally {
		fs.rmSync(failFile, {force: true});
		await running.orchestrator.api.call('server.stop', {});
		await running.close();
		await fixture.cleanup();
	}
});

test.serial('the stop command stops the tree and turns the server off', async t => {
	const fixture = await serverProject({WORKERS: '1'});
	const running = orchestratorFor(fixture);
	try {
		await running.orchestrator.start();
		const pids = await fixture.pids();
		await running.orchestrator.api.call('server.stop', {});
		t.deepEqual(alive(pids), []);
		t.is(running.store.serviceState('server')!.status, 'off');
	} finally {
		await running.close();
		await fixture.cleanup();
	}
});
