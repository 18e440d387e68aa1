import fs from 'node:fs';
import Database from 'better-sqlite3';
import {StoreError} from '../errors.js';
import {migrations} from './migrations.js';

/** Open (creating and migrating when needed) the SQLite file at `file`, WAL with a busy timeout. */
export function openDatabase(file: string): Database.Database {
	let db: Database.Database | undefined;
	try {
		db = new Database(file);
		db.pragma('busy_timeout = 5000');
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = NORMAL');
		db.pragma('foreign_keys = ON');
		migrate(db);
	} catch (error) {
		db?.close();
		const code = (error as {code?: string}).code;
		// NOTADB / CORRUPT: the file is damaged; other codes (permissions, a full disk) are not fixed by a rebuild.
		const damaged = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
		throw new StoreError(`cannot open the database ${file}: ${(error as Error).message}${damaged ? ' (it is damaged: `cmux-tui doctor --repair` moves it aside and builds a new one)' : ''}`, {cause: error});
	}

	if (file !== ':memory:') {
		for (const suffix of ['', '-wal', '-shm']) {
			fs.chmodSync(file + suffix, 0o600);
		}
	}

	return db;
}

/** `PRAGMA integrity_check`: `ok`, or the problems SQLite found. */
export function integrityCheck(db: Database.Database): string {
	return (db.pragma('integrity_check') as Array<{integrity_check: string}>).map(row => row.integrity_check).join('; ');
}

function migrate(db: Database.Database): void {
	const current = db.pragma('user_version', {simple: true}) as number;
	const pending = migrations.filter(migration => migration.version > current).sort((a, b) => a.version - b.version);
	if (pending.length === 0) {
		return;
	}

	db.transaction(() => {
		// Re-read inside the write transaction: another process may have migrated meanwhile.
		const now = db.pragma('user_version', {simple: true}) as number;
		for (const migration of pending.filter(migration => migration.version > now)) {
			db.exec(migration.sql);
			db.pragma(`user_version = ${migration.version}`);
		}
	}).immediate();
}
