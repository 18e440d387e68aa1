import test from 'ava';
import type {RetentionPolicy} from '../../../source/core/store/retention.js';
import {Store} from '../../../source/core/store/store.js';

const day = 86_400_000;
const now = Date.parse('2026-06-01T00:00:00.000Z');
const iso = (ago: number) => new Date(now - ago).toISOString();
const roomy = {maxAge: 7 * day, maxRows: 1_000_000};
const position = {dev: 1, ino: 1, offset: 0, line: 0};

function policy(overrides: Partial<RetentionPolicy> = {}): RetentionPolicy {
	return {events: roomy, messages: roomy, alerts: {maxAge: 30 * day, maxRows: 10_000}, ...overrides};
}

function pruneAll(store: Store, rules: RetentionPolicy, batch = 1000): Array<{events: number; messages: number; alerts: number}> {
	const steps = [];
	for (;;) {
		const counts = store.retention.step(rules, now, batch);
		if (counts.events + counts.messages + counts.alerts === 0) {
			return steps;
		}

		steps.push(counts);
	}
}

function count(store: Store, sql: string): number {
	return (store.db.prepare(sql).get() as {n: number}).n;
}

test('events older than their maximum age are pruned and newer ones kept', t => {
	const store = Store.open(':memory:');
	for (let index = 0; index < 30; index++) {
		store.insertEvent({type: 'agent.started', agent: 'a', ts: iso(index < 20 ? 8 * day : day)});
	}

	pruneAll(store, policy());
	t.is(count(store, 'SELECT count(*) AS n FROM events'), 10);
	t.is(count(store, `SELECT count(*) AS n FROM events WHERE ts < '${iso(7 * day)}'`), 0);
	store.close();
});

test('events over their maximum count go oldest first, at most one batch per step', t => {
	const store = Store.open(':memory:');
	for (let index = 0; index < 2500; index++) {
		store.insertEvent({type: 'agent.started', agent: `a${index}`, ts: iso(1000)});
	}

	const steps = pruneAll(store, policy({events: {maxAge: 7 * day, maxRows: 300}}), 400);
	t.deepEqual(steps.map(step => step.events), [400, 400, 400, 400, 400, 200]);
	t.deepEqual(store.events({limit: 1000}).map(event => (event as {agent: string}).agent), Array.from({length: 300}, (_, index) => `a${2200 + index}`));
	store.close();
});

test('pending and delivering messages are never pruned, however old or many', t => {
	const store = Store.open(':memory:');
	const old = iso(30 * day);
	const items = ['p1', 'p2', 'd1', 'x1', 'x2', 'dead1', 'new1'].map((id, line) => ({kind: 'message' as const, line, message: {id, ts: old, from: 'sup', to: 'w', subject: id, status: 'submitted' as const}}));
	store.messages.ingest('mailbox', items, position);
	store.messages.markDelivering(store.messages.get('d1')!.seq, null);
	store.messages.markDelivered(store.messages.get('x1')!.seq, old);
	store.messages.markDelivered(store.messages.get('x2')!.seq, old);
	store.messages.markDead(store.messages.get('dead1')!.seq, 'gone', 10);
	store.messages.markDelivered(store.messages.get('new1')!.seq, iso(day));
	store.messages.markRetry(store.messages.get('p2')!.seq, 'busy', 3, now + 1000);
	pruneAll(store, policy({messages: {maxAge: 7 * day, maxRows: 1}}));
	const left = (store.db.prepare('SELECT id, state FROM messages ORDER BY seq').all() as Array<{id: string; state: string}>).map(row => `${row.id}:${row.state}`);
	t.deepEqual(left, ['p1:pending', 'p2:pending', 'd1:delivering', 'new1:delivered']);
	store.close();
});

test('alerts are pruned by age and count while open alert windows and the outbox stay', t => {
	const store = Store.open(':memory:');
	for (let index = 0; index < 12; index++) {
		store.alerts.insert({ts: iso(index < 4 ? 40 * day : day), file: 'app.log', count: 1, sample: [`ERROR ${index}`]});
	}

	store.alertWindows.save('log:app.log', {state: {endsAt: now - 40 * day, pending: {count: 2, matches: [['ERROR a'], ['ERROR b']], firstAt: now - 40 * day, lastAt: now - 40 * day}}});
	store.alertWindows.addOutbox('log:app.log', {count: 1, matches: [['ERROR c']], firstAt: now - 40 * day, lastAt: now - 40 * day});
	pruneAll(store, policy({alerts: {maxAge: 30 * day, maxRows: 5}}));
	t.deepEqual(store.alerts.recent(100).map(alert => alert.sample), ['ERROR 7', 'ERROR 8', 'ERROR 9', 'ERROR 10', 'ERROR 11']);
	t.is(store.alertWindows.load('log:app.log')?.state.pending?.count, 2);
	t.is(store.alertWindows.outbox('log:app.log').length, 1);
	store.close();
});

test('a store within its limits prunes nothing', t => {
	const store = Store.open(':memory:');
	store.insertEvent({type: 'agent.started', agent: 'a', ts: iso(day)});
	store.alerts.insert({ts: iso(day), file: 'app.log', count: 1, sample: ['ERROR']});
	t.deepEqual(store.retention.step(policy(), now), {events: 0, messages: 0, alerts: 0});
	t.is(count(store, 'SELECT count(*) AS n FROM events'), 1);
	store.close();
});
