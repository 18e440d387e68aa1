import type Database from 'better-sqlite3';

/**
 * How every table group of the store prepares its SQL: once, when the store opens. A `report`
 * statement is one that `status`, `check`, `/health`, `/metrics` or the TUI runs on every request:
 * it must be indexed and bounded, and the store's query-plan test checks each of them.
 */
export class Statements {
	/** The SQL of every report statement prepared so far, for the query-plan test. */
	readonly reportSql: string[] = [];

	constructor(readonly db: Database.Database) {}

	/** A statement for writes and for reads off the request path. */
	prepare(sql: string): Database.Statement {
		return this.db.prepare(sql);
	}

	/** A read behind a report (status, check, health, metrics, TUI): indexed and bounded. */
	report(sql: string): Database.Statement {
		this.reportSql.push(sql);
		return this.db.prepare(sql);
	}
}
