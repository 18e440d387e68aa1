import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {HealthWatch} from '../../../source/core/health/health-watch.js';
import {nullLogger} from '../../../source/core/logger.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {Store} from '../../../source/core/store/store.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {FakeClock} from '../../helpers/fake-clock.js';

/** A health watch on a store in a temp folder, with a fake clock. */
async function make() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-health-'));
	const file = path.join(dir, 'cmux.db');
	const store = Store.open(file);
	const clock = new FakeClock();
	let watch!: HealthWatch;
	const orchestrator = new Orchestrator({config: validateConfig({healthPort: 0}), paths: resolvePaths(dir), store, clock, tmux: new ExecTmuxClient('unused'), log: nullLogger,
		factories: [context => (watch = new HealthWatch(context, {debounceMs: 100, safetyMs: 10_000}))]});
	const events: CmuxEvent[] = [];
	orchestrator.on('event', event => events.push(event));
	store.setServiceState('orchestrator', 'healthy', {pid: process.pid});
	await orchestrator.start();
	return {store, file, clock, orchestrator, events, watch, async cleanup() {
		await orchestrator.stop();
		store.close();
		fs.rmSync(dir, {recursive: true, force: true});
	}};
}

test.serial('idle, the health report is not rebuilt however much time passes', async t => {
	const h = await make();
	try {
		const after = h.watch.evaluations;
		h.clock.advance(10 * 60_000);
		t.is(h.watch.evaluations, after);
		// Events that cannot move the status do not rebuild it either.
		h.orchestrator.emitEvent({type: 'message.delivered', id: 'm1', from: 'a', to: 'b', attempts: 1});
		h.clock.advance(1000);
		t.is(h.watch.evaluations, after);
	} finally {
		await h.cleanup();
	}
});

test.serial('an event that can move the status rebuilds it once after the debounce and reports the change', async t => {
	const h = await make();
	try {
		const after = h.watch.evaluations;
		h.store.agents.save({name: 'w1', state: 'failed'});
		h.orchestrator.emitEvent({type: 'agent.exited', agent: 'w1', reason: 'process-exited'});
		h.clock.advance(99);
		t.is(h.watch.evaluations, after);
		h.clock.advance(1);
		t.is(h.watch.evaluations, after + 1);
		t.like(h.events.find(event => event.type === 'health.changed'), {status: 'degraded', previous: 'healthy'});
	} finally {
		await h.cleanup();
	}
});

test.serial('a write by another process is noticed by the safety net', async t => {
	const h = await make();
	const other = Store.open(h.file);
	try {
		other.agents.save({name: 'w2', state: 'zombie'});
		h.clock.advance(10_000 + 100);
		t.like(h.events.find(event => event.type === 'health.changed'), {status: 'degraded'});
	} finally {
		other.close();
		await h.cleanup();
	}
});
