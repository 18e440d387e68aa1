import type Database from 'better-sqlite3';
import type {FilePosition} from './segments.js';

/** The persisted read position of `source` in `ingest_offsets` (e.g. `log:<path>`), if any. */
export function loadOffset(db: Database.Database, source: string): FilePosition | undefined {
	const row = db.prepare('SELECT dev, ino, offset, line FROM ingest_offsets WHERE source = ?').get(source) as
		{dev: number | null; ino: number | null; offset: number; line: number} | undefined;
	return row && row.dev !== null && row.ino !== null ? {dev: row.dev, ino: row.ino, offset: row.offset, line: row.line} : undefined;
}

/** Persist the read position of `source`; inside a transaction, it commits with what was read. */
export function saveOffset(db: Database.Database, source: string, position: FilePosition): void {
	db.prepare(`INSERT INTO ingest_offsets (source, dev, ino, offset, line, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset, line = excluded.line, updated_at = excluded.updated_at`)
		.run(source, position.dev, position.ino, position.offset, position.line, new Date().toISOString());
}
