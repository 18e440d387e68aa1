import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** A raised log alert, as the `alerts` table keeps it. */
export interface AlertRow {
	id: number;
	ts: string;
	file: string;
	count: number;
	sample: string;
	attachment: string | null;
}

/** At most this many alerts are counted for "the last hour" (retention keeps far fewer by default). */
export const alertCountCap = 10_000;

/** The `alerts` table: one row per raised log alert. */
export class AlertTable {
	private readonly insertStatement: Database.Statement;
	private readonly recentStatement: Database.Statement;
	private readonly lastStatement: Database.Statement;
	private readonly sinceStatement: Database.Statement;

	constructor(statements: Statements) {
		this.insertStatement = statements.prepare('INSERT INTO alerts (ts, file, count, sample, attachment) VALUES (?, ?, ?, ?, ?)');
		this.recentStatement = statements.report('SELECT id, ts, file, count, sample, attachment FROM alerts ORDER BY id DESC LIMIT ?');
		this.lastStatement = statements.report('SELECT ts, file, count, sample FROM alerts ORDER BY id DESC LIMIT 1');
		this.sinceStatement = statements.report(`SELECT count(*) AS n FROM (SELECT 1 FROM alerts WHERE ts >= ? LIMIT ${alertCountCap})`);
	}

	/** Record a raised alert; `sample` lines are stored joined by newlines. */
	insert(alert: {ts: string; file: string; count: number; sample: string[]; attachment?: string | null}): number {
		return Number(this.insertStatement.run(alert.ts, alert.file, alert.count, alert.sample.join('\n'), alert.attachment ?? null).lastInsertRowid);
	}

	/** The newest `limit` alerts, oldest first. */
	recent(limit: number): AlertRow[] {
		return (this.recentStatement.all(limit) as AlertRow[]).reverse();
	}

	/** The newest alert, if any. */
	last(): Omit<AlertRow, 'id' | 'attachment'> | undefined {
		return this.lastStatement.get() as Omit<AlertRow, 'id' | 'attachment'> | undefined;
	}

	/** How many alerts were raised at or after `since` (ISO), up to `alertCountCap`. */
	countSince(since: string): number {
		return (this.sinceStatement.get(since) as {n: number}).n;
	}
}
