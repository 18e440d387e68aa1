import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import test from 'ava';
import {execa} from 'execa';
import {Store} from '../../../source/core/store/store.js';
import {migrations} from '../../../source/core/store/migrations.js';

function tempDb(): {file: string; cleanup: () => void} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-store-'));
	return {file: path.join(dir, 'cmux.db'), cleanup: () => fs.rmSync(dir, {recursive: true, force: true})};
}

test('a new database is migrated to the newest version in WAL mode', t => {
	const {file, cleanup} = tempDb();
	const store = Store.open(file);
	t.is(store.db.pragma('user_version', {simple: true}), Math.max(...migrations.map(migration => migration.version)));
	t.is(store.db.pragma('journal_mode', {simple: true}), 'wal');
	t.true((store.db.pragma('busy_timeout', {simple: true}) as number) >= 1000);
	store.close();
	t.is(fs.statSync(file).mode & 0o777, 0o600);
	cleanup();
});

test('an older database is migrated forward and keeps its rows', t => {
	const {file, cleanup} = tempDb();
	const raw = new Database(file);
	raw.exec(migrations[0]!.sql);
	raw.pragma('user_version = 1');
	raw.prepare('INSERT INTO events (ts, type, data) VALUES (?, ?, ?)').run('2026-01-01T00:00:00.000Z', 'orchestrator.started', '{"type":"orchestrator.started","ts":"2026-01-01T00:00:00.000Z"}');
	raw.close();
	const store = Store.open(file);
	t.is(store.events().length, 1);
	t.is(store.db.pragma('user_version', {simple: true}), Math.max(...migrations.map(migration => migration.version)));
	store.close();
	cleanup();
});

test('opening twice does not migrate twice', t => {
	const {file, cleanup} = tempDb();
	Store.open(file).close();
	t.notThrows(() => {
		Store.open(file).close();
	});
	cleanup();
});

test('events get increasing ids and come back oldest first', t => {
	const store = Store.open(':memory:');
	const first = store.insertEvent({type: 'agent.started', agent: 'a', ts: '2026-01-01T00:00:00.000Z'});
	const second = store.insertEvent({type: 'agent.exited', agent: 'a', reason: 'killed', ts: '2026-01-01T00:00:01.000Z'});
	t.true(second > first);
	const events = store.events();
	t.deepEqual(events.map(event => event.type), ['agent.started', 'agent.exited']);
	t.like(events[1], {agent: 'a', reason: 'killed', seq: second});
	t.deepEqual(store.events({afterSeq: first}).map(event => event.seq), [second]);
	t.deepEqual(store.events({types: ['agent.started']}).map(event => event.seq), [first]);
	store.close();
});

test('a reader in another process never sees SQLITE_BUSY while a writer is busy', async t => {
	const {file, cleanup} = tempDb();
	const store = Store.open(file);
	const storeModule = new URL('../../../source/core/store/store.js', import.meta.url).href;
	const reader = execa(process.execPath, ['--input-type=module', '-e', `
		const {Store} = await import(${JSON.stringify(storeModule)});
		let reads = 0;
		const end = Date.now() + 1500;
		while (Date.now() < end) {
			const store = Store.open(${JSON.stringify(file)});
			store.events({limit: 5});
			store.close();
			reads++;
		}
		console.log(reads);
	`], {reject: false});
	const end = Date.now() + 1500;
	let writes = 0;
	while (Date.now() < end) {
		store.db.transaction(() => {
			for (let index = 0; index < 50; index++) {
				store.insertEvent({type: 'agent.started', agent: `a${index}`, ts: new Date().toISOString()});
			}
		})();
		writes++;
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	const result = await reader;
	t.is(result.exitCode, 0, result.stderr);
	t.true(Number(result.stdout) > 0);
	t.true(writes > 0);
	store.close();
	cleanup();
});

test('service state is stored and read back', t => {
	const store = Store.open(':memory:');
	store.setServiceState('server', 'unhealthy', {reason: 'probe failed', pid: 42});
	store.setServiceState('server', 'healthy', {pid: 43});
	t.like(store.serviceState('server'), {name: 'server', status: 'healthy', detail: {pid: 43}});
	t.is(store.serviceState('nothing'), undefined);
	t.is(store.integrityCheck(), 'ok');
	store.close();
});
