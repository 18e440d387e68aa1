import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import test from 'ava';
import {migrations} from '../../../source/core/store/migrations.js';
import {Store} from '../../../source/core/store/store.js';
import {counterCounts, fullCounts} from './counts.js';

const position = {dev: 1, ino: 1, offset: 0, line: 0};
const day = 86_400_000;

function message(id: string, to = 'worker-1') {
	return {kind: 'message' as const, line: 1, message: {id, ts: new Date().toISOString(), from: 'sup', to, subject: `s ${id}`, status: 'submitted' as const}};
}

test('the counters equal a full count after a mix of inserts, moves and deletes', t => {
	const store = Store.open(':memory:');
	for (let index = 0; index < 300; index++) {
		store.insertEvent({type: index % 3 === 0 ? 'agent.started' : 'message.received', agent: 'a', ts: new Date(Date.now() - (index % 2) * 10 * day).toISOString()} as never);
	}

	store.messages.ingest('mailbox', Array.from({length: 40}, (_, index) => message(`m${index}`, `w${index % 4}`)), position);
	// A second ingest of the same ids stores nothing and must count nothing.
	store.messages.ingest('mailbox', [message('m1'), message('m2')], position);
	for (let index = 0; index < 40; index++) {
		const id = `m${index}`;
		if (index % 4 !== 3) {
			store.messages.markDelivering(store.messages.get(id)!.seq, null);
		}

		if (index % 4 === 0) {
			store.messages.markDelivered(store.messages.get(id)!.seq, new Date(Date.now() - 10 * day).toISOString());
		} else if (index % 4 === 1) {
			store.messages.markRetry(store.messages.get(id)!.seq, 'busy', 1, 0);
		} else if (index % 4 === 2) {
			store.messages.markDead(store.messages.get(id)!.seq, 'gone', 10);
		}
	}

	for (let index = 0; index < 25; index++) {
		store.alerts.insert({ts: new Date(Date.now() - (index % 2) * 40 * day).toISOString(), file: 'app.log', count: 1, sample: ['ERROR']});
	}

	t.deepEqual(counterCounts(store), fullCounts(store));
	const policy = {events: {maxAge: 7 * day, maxRows: 120}, messages: {maxAge: 7 * day, maxRows: 5}, alerts: {maxAge: 30 * day, maxRows: 100}};
	while (Object.values(store.retention.step(policy, Date.now(), 50)).some(count => count > 0)) {
		// Each step commits its own deletes; the counters follow by trigger.
	}

	t.deepEqual(counterCounts(store), fullCounts(store));
	t.is(fullCounts(store).messages.pending, 20);
	t.is(fullCounts(store).events['agent.started']! + fullCounts(store).events['message.received']!, 120);
	// Deleting lowers `stored`, never `total`: Prometheus counters only go up.
	t.is(store.counters.group('events').reduce((sum, counter) => sum + counter.total, 0), 300);
	store.close();
});

test('an older database gets counters seeded from the rows it already holds', t => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-counters-'));
	const file = path.join(dir, 'cmux.db');
	const raw = new Database(file);
	for (const migration of migrations.filter(migration => migration.version < 130)) {
		raw.exec(migration.sql);
	}

	raw.pragma('user_version = 40');
	const insert = raw.prepare('INSERT INTO events (ts, type, data) VALUES (?, ?, ?)');
	for (let index = 0; index < 7; index++) {
		insert.run('2026-01-01T00:00:00.000Z', index < 3 ? 'agent.started' : 'log.alert', '{}');
	}

	raw.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, state) VALUES ('a', 'x', 'f', 't', 's', 'dead'), ('b', 'x', 'f', 't', 's', 'pending')`).run();
	raw.prepare(`INSERT INTO alerts (ts, file, count, sample) VALUES ('x', 'f', 1, 's')`).run();
	raw.close();
	const store = Store.open(file);
	t.deepEqual(counterCounts(store), {events: {'agent.started': 3, 'log.alert': 4}, messages: {dead: 1, pending: 1}, alerts: {'': 1}});
	store.close();
	fs.rmSync(dir, {recursive: true, force: true});
});
