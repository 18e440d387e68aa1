import test from 'ava';
import {Store} from '../../../source/core/store/store.js';

/** The tables that grow with history: a report must never walk them whole. */
const growing = /\bSCAN (events|messages|alerts)\b/;

/**
 * A plan step is bounded when it SEARCHes an index or key, or when it SCANs a table in key order
 * with nothing to filter and nothing to sort (`... ORDER BY key LIMIT n`: it stops after n rows).
 */
function unbounded(sql: string, plan: string[]): string[] {
	const inKeyOrderWithLimit = /\bLIMIT\b/i.test(sql) && !/\bWHERE\b/i.test(sql) && !plan.some(step => step.includes('TEMP B-TREE'));
	return plan.filter(step => growing.test(step) && !inKeyOrderWithLimit);
}

function planOf(store: Store, sql: string): string[] {
	const parameters = Array.from({length: (sql.match(/\?/g) ?? []).length}, () => null);
	return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Array<{detail: string}>).map(row => row.detail);
}

test('every query behind status, health, metrics and the tui is indexed and bounded', t => {
	const store = Store.open(':memory:');
	const queries = store.reportQueries();
	t.true(queries.length >= 10);
	for (const sql of queries) {
		const plan = planOf(store, sql);
		t.deepEqual(unbounded(sql, plan), [], `${sql.replaceAll(/\s+/g, ' ')}\n  plan: ${plan.join(' | ')}`);
		t.false(plan.some(step => step.includes('TEMP B-TREE') && /events|messages|alerts/.test(sql)), `sorts rows: ${sql}`);
		t.notRegex(sql, /count\(\*\)\s+(AS \w+\s+)?FROM (events|messages|alerts)\b/i, 'counts a whole table');
	}

	store.close();
});

test('the plan check itself catches a full scan and a count over a table', t => {
	const store = Store.open(':memory:');
	t.not(unbounded('SELECT count(*) FROM messages WHERE subject = ?', planOf(store, 'SELECT count(*) FROM messages WHERE subject = ?')).length, 0);
	t.not(unbounded('SELECT id FROM events WHERE agent = ? ORDER BY id DESC LIMIT 5', planOf(store, 'SELECT id FROM events WHERE agent = ? ORDER BY id DESC LIMIT 5')).length, 0);
	t.is(unbounded('SELECT id FROM alerts ORDER BY id DESC LIMIT 5', planOf(store, 'SELECT id FROM alerts ORDER BY id DESC LIMIT 5')).length, 0);
	store.close();
});

test('the health report reads the same totals at 50 and at 50,000 stored rows', t => {
	const store = Store.open(':memory:');
	const insert = store.db.prepare('INSERT INTO events (ts, type, data) VALUES (?, ?, ?)');
	store.transaction(() => {
		for (let index = 0; index < 50_000; index++) {
			insert.run(new Date().toISOString(), index % 2 ? 'agent.started' : 'message.received', '{}');
		}
	});
	const events = Object.fromEntries(store.counters.group('events').map(counter => [counter.key, counter.stored]));
	t.deepEqual(events, {'agent.started': 25_000, 'message.received': 25_000});
	store.close();
});
