import fs from 'node:fs';
import Database from 'better-sqlite3';
import {StoreError} from '../errors.js';
import type {CmuxEvent, EventInput} from '../events.js';
import {migrations} from './migrations.js';

/** Health of one part of the system, as every report shows it. */
export type Status = 'healthy' | 'degraded' | 'unhealthy' | 'off';

export interface ServiceState {
	name: string;
	status: Status;
	detail: Record<string, unknown>;
	updatedAt: string;
}

/**
 * `.cmux/cmux.db`: the single source the TUI, `status`, `/health` and `/metrics` read.
 * WAL with a busy timeout, so a second process reading while the orchestrator writes never sees
 * SQLITE_BUSY. Feature code keeps its own queries next to it and uses `db` directly.
 */
export class Store {
	readonly db: Database.Database;
	private readonly insertEventStatement: Database.Statement;

	private constructor(db: Database.Database) {
		this.db = db;
		this.insertEventStatement = db.prepare('INSERT INTO events (ts, type, agent, data) VALUES (?, ?, ?, ?)');
	}

	/** Open (creating and migrating when needed) the database at `file`; `:memory:` works for tests. */
	static open(file: string): Store {
		let db: Database.Database;
		try {
			db = new Database(file);
			db.pragma('busy_timeout = 5000');
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = NORMAL');
			db.pragma('foreign_keys = ON');
			migrate(db);
		} catch (error) {
			db!?.close();
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

		return new Store(db);
	}

	/** Persist an event made outside the orchestrator (one-shot commands), stamping it now. */
	recordEvent(event: EventInput): number {
		return this.insertEvent({...event, ts: event.ts ?? new Date().toISOString()} as CmuxEvent);
	}

	/** Persist an event; returns its id. */
	insertEvent(event: CmuxEvent): number {
		const {ts, type} = event;
		const agent = 'agent' in event && typeof event.agent === 'string' ? event.agent : null;
		return Number(this.insertEventStatement.run(ts, type, agent, JSON.stringify(event)).lastInsertRowid);
	}

	/** The newest events, oldest first; `afterSeq` returns only newer ones. */
	events(options: {limit?: number; afterSeq?: number; types?: string[]} = {}): Array<CmuxEvent & {seq: number}> {
		const where: string[] = ['id > ?'];
		const parameters: unknown[] = [options.afterSeq ?? 0];
		if (options.types?.length) {
			where.push(`type IN (${options.types.map(() => '?').join(',')})`);
			parameters.push(...options.types);
		}

		const rows = this.db.prepare(`SELECT id, data FROM events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
			.all(...parameters, options.limit ?? 200) as Array<{id: number; data: string}>;
		return rows.reverse().map(row => ({...JSON.parse(row.data) as CmuxEvent, seq: row.id}));
	}

	/** Record what a service reports about itself (`server`, `frontend`, `orchestrator`, …). */
	setServiceState(name: string, status: Status, detail: Record<string, unknown> = {}): void {
		this.db.prepare(`INSERT INTO service_state (name, status, detail, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET status = excluded.status, detail = excluded.detail, updated_at = excluded.updated_at`)
			.run(name, status, JSON.stringify(detail), new Date().toISOString());
	}

	serviceState(name: string): ServiceState | undefined {
		const row = this.db.prepare('SELECT name, status, detail, updated_at AS updatedAt FROM service_state WHERE name = ?').get(name) as
			({detail: string} & Omit<ServiceState, 'detail'>) | undefined;
		return row && {...row, detail: JSON.parse(row.detail) as Record<string, unknown>};
	}

	/** `PRAGMA integrity_check`: `ok`, or the problems SQLite found. */
	integrityCheck(): string {
		return (this.db.pragma('integrity_check') as Array<{integrity_check: string}>).map(row => row.integrity_check).join('; ');
	}

	close(): void {
		if (this.db.open) {
			this.db.close();
		}
	}
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
