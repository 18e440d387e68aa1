import type Database from 'better-sqlite3';
import type {FilePosition} from '../files/segments.js';
import type {Statements} from './statements.js';

/** `ingest_offsets`: how far each followed file (`log:<name>`, the mailbox) has been read. */
export class OffsetTable {
	private readonly loadStatement: Database.Statement;
	private readonly saveStatement: Database.Statement;

	constructor(statements: Statements) {
		this.loadStatement = statements.prepare('SELECT dev, ino, offset, line FROM ingest_offsets WHERE source = ?');
		this.saveStatement = statements.prepare(`INSERT INTO ingest_offsets (source, dev, ino, offset, line, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(source) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset, line = excluded.line, updated_at = excluded.updated_at`);
	}

	/** The persisted read position of `source`, if any. */
	load(source: string): FilePosition | undefined {
		const row = this.loadStatement.get(source) as {dev: number | null; ino: number | null; offset: number; line: number} | undefined;
		return row && row.dev !== null && row.ino !== null ? {dev: row.dev, ino: row.ino, offset: row.offset, line: row.line} : undefined;
	}

	/** Persist the read position of `source`; inside a transaction, it commits with what was read. */
	save(source: string, position: FilePosition): void {
		this.saveStatement.run(source, position.dev, position.ino, position.offset, position.line, new Date().toISOString());
	}
}
