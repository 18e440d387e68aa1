import test from 'ava';
import {validateConfig} from '../../source/core/config/load.js';
import {resolvePaths} from '../../source/core/config/paths.js';
import type {CmuxEvent} from '../../source/core/events.js';
import {nullLogger, type Logger} from '../../source/core/logger.js';
import {Orchestrator, type Service, type ServiceFactory} from '../../source/core/orchestrator.js';
import {Store} from '../../source/core/store/store.js';
import {ExecTmuxClient} from '../../source/core/tmux/exec-client.js';

function make(factories: ServiceFactory[], log: Logger = nullLogger) {
	const store = Store.open(':memory:');
	const orchestrator = new Orchestrator({config: validateConfig({healthPort: 0}), paths: resolvePaths('/tmp/x'), store, tmux: new ExecTmuxClient('unused'), log, factories});
	return {store, orchestrator};
}

function recorder(name: string, calls: string[], options: {failStart?: boolean} = {}): ServiceFactory {
	return (): Service => ({
		name,
		async start() {
			if (options.failStart) {
				throw new Error(`${name} cannot start`);
			}

			calls.push(`start ${name}`);
		},
		async stop() {
			calls.push(`stop ${name}`);
		},
	});
}

test('services start in order and stop in reverse', async t => {
	const calls: string[] = [];
	const {orchestrator, store} = make([recorder('a', calls), recorder('b', calls), () => undefined, recorder('c', calls)]);
	await orchestrator.start();
	await orchestrator.stop();
	await orchestrator.stop();
	t.deepEqual(calls, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
	t.deepEqual(orchestrator.serviceNames(), ['a', 'b', 'c']);
	store.close();
});

test('a service that fails to start is stopped with the ones already started', async t => {
	const calls: string[] = [];
	const {orchestrator, store} = make([recorder('a', calls), recorder('b', calls, {failStart: true}), recorder('c', calls)]);
	await t.throwsAsync(orchestrator.start(), {message: 'b cannot start'});
	t.deepEqual(calls, ['start a', 'stop b', 'stop a']);
	store.close();
});

test('every event is stored before subscribers see it, with ts added', async t => {
	const {orchestrator, store} = make([]);
	const seen: CmuxEvent[] = [];
	orchestrator.on('event', event => {
		seen.push(event);
		t.truthy(store.events({types: [event.type]}).find(stored => stored.seq === event.seq));
	});
	const event = orchestrator.emitEvent({type: 'agent.exited', agent: 'w1', reason: 'process-exited', code: 3});
	t.regex(event.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	t.deepEqual(seen.map(item => item.type), ['agent.exited']);
	t.like(store.events().at(-1), {type: 'agent.exited', agent: 'w1', reason: 'process-exited', code: 3});
	store.close();
});

test('events emitted together are all stored before the first is handed out, in order', t => {
	const {orchestrator, store} = make([]);
	const seen: Array<{id: unknown; storedThen: number}> = [];
	orchestrator.on('event', event => {
		seen.push({id: (event as {id?: unknown}).id, storedThen: store.events({types: ['message.delivered']}).length});
	});
	const events = orchestrator.emitEvents(['m1', 'm2', 'm3'].map(id => ({type: 'message.delivered', id, from: 'a', to: 'b', attempts: 1})));
	t.deepEqual(seen, [{id: 'm1', storedThen: 3}, {id: 'm2', storedThen: 3}, {id: 'm3', storedThen: 3}]);
	t.deepEqual(events.map(event => event.seq), store.events().map(event => event.seq));
	store.close();
});

test('events emitted together that the store refuses are still handed out, without a seq, and the failure is logged', t => {
	const lines: string[] = [];
	const {orchestrator, store} = make([], {log: (_level, message) => lines.push(message)});
	store.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN json_extract(new.data, '$.id') = 'm2' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
	const seen: CmuxEvent[] = [];
	orchestrator.on('event', event => seen.push(event));
	orchestrator.emitEvents(['m1', 'm2'].map(id => ({type: 'message.delivered', id, from: 'a', to: 'b', attempts: 1})));
	t.deepEqual(seen.map(event => [(event as {id?: unknown}).id, event.seq]), [['m1', undefined], ['m2', undefined]]);
	t.is(store.events().length, 0, 'all or none');
	t.deepEqual(lines, ['cannot store event message.delivered, message.delivered: disk says no']);
	store.close();
});

test('a subscriber that throws is logged and the others still get the event', t => {
	const lines: string[] = [];
	const {orchestrator, store} = make([], {log: (_level, message) => lines.push(message)});
	let second = 0;
	orchestrator.on('event', () => {
		throw new Error('boom');
	});
	orchestrator.on('event', () => {
		second++;
	});
	orchestrator.emitEvent({type: 'server.started'});
	t.is(second, 1);
	t.deepEqual(lines, ['event subscriber failed on server.started: boom']);
	store.close();
});

test('a stop during start stops the service that was starting and starts no more', async t => {
	const calls: string[] = [];
	let release!: () => void;
	const slow: ServiceFactory = () => ({
		name: 'slow',
		async start() {
			calls.push('start slow');
			await new Promise<void>(resolve => {
				release = resolve;
			});
		},
		async stop() {
			calls.push('stop slow');
		},
	});
	const {orchestrator, store} = make([recorder('a', calls), slow, recorder('c', calls)]);
	const starting = orchestrator.start();
	while (!calls.includes('start slow')) {
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	const stopping = orchestrator.stop('SIGINT');
	release();
	await starting;
	await stopping;
	t.deepEqual(calls, ['start a', 'start slow', 'stop a', 'stop slow']);
	store.close();
});
