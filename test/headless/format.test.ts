import {PassThrough} from 'node:stream';
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

test('printEvents writes the events of one turn in one write, right after it, and what is pending when unsubscribed', async t => {
	const store = Store.open(':memory:');
	const orchestrator = new Orchestrator({config: validateConfig({}), paths: resolvePaths('/tmp/x'), store, tmux: new ExecTmuxClient('unused'), log: nullLogger, factories: []});
	const output = new PassThrough();
	const chunks: string[] = [];
	output.on('data', chunk => chunks.push(String(chunk)));
	const stop = printEvents(orchestrator, {json: true, output});
	orchestrator.emitEvent({type: 'server.started', pid: 1});
	orchestrator.emitEvent({type: 'server.unhealthy', reason: 'probe'});
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	t.is(chunks.length, 1, 'one write for the turn');
	t.deepEqual(chunks[0]!.trimEnd().split('\n').map(line => (JSON.parse(line) as {type: string}).type), ['server.started', 'server.unhealthy']);
	orchestrator.emitEvent({type: 'server.restarted'});
	stop();
	t.is(chunks.length, 2, 'unsubscribing writes what was pending');
	orchestrator.emitEvent({type: 'server.stopped'});
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	t.is(chunks.length, 2);
	store.close();
});
