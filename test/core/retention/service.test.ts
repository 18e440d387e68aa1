import test from 'ava';
import type {Clock} from '../../../source/core/clock.js';
import {validateConfig} from '../../../source/core/config/load.js';
import type {ServiceContext} from '../../../source/core/orchestrator.js';
import {RetentionService} from '../../../source/core/retention/service.js';
import {Store} from '../../../source/core/store/store.js';

/** A clock whose timers run only when the test fires them. */
function manualClock(start: number) {
	const timers: Array<{callback: () => void; ms: number; handle: NodeJS.Timeout}> = [];
	const clock: Clock = {
		now: () => start,
		setTimeout(callback, ms) {
			const handle = {unref: () => handle} as unknown as NodeJS.Timeout;
			timers.push({callback, ms, handle});
			return handle;
		},
		clearTimeout(handle) {
			const index = timers.findIndex(timer => timer.handle === handle);
			if (index !== -1) {
				timers.splice(index, 1);
			}
		},
	};
	return {clock, timers};
}

function setup(retention: Record<string, unknown>) {
	const store = Store.open(':memory:');
	const {clock, timers} = manualClock(Date.parse('2026-06-01T00:00:00.000Z'));
	const lines: string[] = [];
	const config = validateConfig({retention});
	const context = {config, store, clock, log: {log: (_level: string, text: string) => lines.push(text)}} as unknown as ServiceContext;
	return {store, timers, lines, context};
}

test('pruning runs in bounded steps and yields to the event loop between them', async t => {
	const {store, context} = setup({events: {maxRows: 100}});
	for (let index = 0; index < 1000; index++) {
		store.insertEvent({type: 'agent.started', agent: 'a', ts: '2026-05-31T23:00:00.000Z'});
	}

	const steps: number[] = [];
	const step = store.retention.step.bind(store.retention);
	store.retention.step = (...args) => {
		const counts = step(...args);
		steps.push(counts.events);
		return counts;
	};

	const service = new RetentionService(context, {batch: 100});
	const pass = service.prune();
	// Runs between two steps only if the pass yields to the event loop.
	const seen = await new Promise<number>(resolve => {
		setImmediate(() => {
			resolve(steps.length);
		});
	});
	const totals = await pass;
	t.is(totals.events, 900);
	t.true(steps.every(count => count <= 100));
	t.true(seen > 0 && seen < steps.length, `a callback ran after step ${seen} of ${steps.length}`);
	store.close();
});

test('the timer runs a pass after the first delay, then every interval, and stops with the service', async t => {
	const {store, timers, lines, context} = setup({events: {maxAge: '1h'}, interval: '10m'});
	store.insertEvent({type: 'agent.started', agent: 'a', ts: '2026-05-01T00:00:00.000Z'});
	const service = new RetentionService(context, {firstDelay: 5});
	await service.start();
	t.deepEqual(timers.map(timer => timer.ms), [5]);
	timers.shift()!.callback();
	await service.prune();
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	t.deepEqual(timers.map(timer => timer.ms), [600_000]);
	t.is(store.events().length, 0);
	t.true(lines.some(line => line.includes('pruned 1 event(s)')));
	await service.stop();
	t.deepEqual(timers, []);
	store.close();
});

test('the defaults keep events and messages 7 days and alerts 30 days', t => {
	const {context} = setup({});
	t.deepEqual(context.config.retention, {
		events: {maxAge: 7 * 86_400_000, maxRows: 1_000_000},
		messages: {maxAge: 7 * 86_400_000, maxRows: 100_000},
		alerts: {maxAge: 30 * 86_400_000, maxRows: 10_000},
		interval: 300_000,
	});
});
