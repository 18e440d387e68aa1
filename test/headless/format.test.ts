import test from 'ava';
import type {CmuxEvent} from '../../source/core/events.js';
import {validateConfig} from '../../source/core/config/load.js';
import {resolvePaths} from '../../source/core/config/paths.js';
import {nullLogger} from '../../source/core/logger.js';
import {Orchestrator} from '../../source/core/orchestrator.js';
import {Store} from '../../source/core/store/store.js';
import {ExecTmuxClient} from '../../source/core/tmux/exec-client.js';
import {formatEventJson, formatEventLine} from '../../source/headless/format.js';
import {printEvents} from '../../source/headless/headless.js';

const event: CmuxEvent = {type: 'log.alert', ts: '2026-01-31T06:00:00.123Z', seq: 7, file: 'logs/app.log', count: 2, sample: ['ERROR a b'], attachment: '/x/a.md'};

test('a readable line has the time, the type and key=value fields', t => {
	t.is(formatEventLine(event), '06:00:00.123 log.alert file=logs/app.log count=2 sample=["ERROR a b"] attachment=/x/a.md');
});

test('values with spaces are quoted', t => {
	t.is(formatEventLine({type: 'server.unhealthy', ts: '2026-01-31T06:00:00.123Z', reason: 'probe failed'}), '06:00:00.123 server.unhealthy reason="probe failed"');
});

test('the JSON line keeps every field but the store row number', t => {
	t.deepEqual(JSON.parse(formatEventJson(event)), {type: 'log.alert', ts: '2026-01-31T06:00:00.123Z', file: 'logs/app.log', count: 2, sample: ['ERROR a b'], attachment: '/x/a.md'});
});

test('message events keep their own id', t => {
	t.like(JSON.parse(formatEventJson({type: 'message.delivered', ts: '2026-01-31T06:00:00.123Z', seq: 3, id: 'abc', from: 'a', to: 'b'})), {id: 'abc'});
});

test('printEvents writes the first event of a turn at once, the rest of the turn in one write after it, and what is pending when unsubscribed', async t => {
	const store = Store.open(':memory:');
	const orchestrator = new Orchestrator({config: validateConfig({}), paths: resolvePaths('/tmp/x'), store, tmux: new ExecTmuxClient('unused'), log: nullLogger, factories: []});
	const chunks: string[] = [];
	const output = {write: (text: string) => chunks.push(text)} as unknown as NodeJS.WritableStream;
	const stop = printEvents(orchestrator, {json: true, output});
	const seenBySubscriber: number[] = [];
	orchestrator.on('event', () => seenBySubscriber.push(chunks.length));
	const types = (chunk: string) => chunk.trimEnd().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
	const turn = async () => new Promise(resolve => {
		setImmediate(resolve);
	});
	orchestrator.emitEvent({type: 'server.started', pid: 1});
	orchestrator.emitEvent({type: 'server.unhealthy', reason: 'probe'});
	orchestrator.emitEvent({type: 'server.restarted'});
	t.deepEqual(seenBySubscriber, [1, 1, 1], 'the first event is out before the other subscribers see it');
	await turn();
	t.deepEqual(chunks.map(chunk => types(chunk)), [['server.started'], ['server.unhealthy', 'server.restarted']], 'the rest of the turn in one write');
	// The next turn's first event: at once again, however soon it comes.
	orchestrator.emitEvent({type: 'frontend.unhealthy'});
	t.deepEqual(types(chunks[2]!), ['frontend.unhealthy']);
	orchestrator.emitEvent({type: 'frontend.rebuilt'});
	t.is(chunks.length, 3);
	stop();
	t.is(chunks.length, 4, 'unsubscribing writes what was pending');
	t.deepEqual(types(chunks[3]!), ['frontend.rebuilt']);
	orchestrator.emitEvent({type: 'server.stopped'});
	await turn();
	t.is(chunks.length, 4);
	store.close();
});
