import type {Store} from '../store/store.js';
import type {FilePosition} from './segments.js';

/** The persisted read position of `source` (`log:<path>`), if any. */
export function loadOffset(store: Store, source: string): FilePosition | undefined {
	const row = store.db.prepare('SELECT dev, ino, offset FROM ingest_offsets WHERE source = ?').get(source) as
		{dev: number | null; ino: number | null; offset: number} | undefined;
	return row && row.dev !== null && row.ino !== null ? {dev: row.dev, ino: row.ino, offset: row.offset} : undefined;
}

/** Persist the read position of `source`. */
export function saveOffset(store: Store, source: string, position: FilePosition): void {
	store.db.prepare(`INSERT INTO ingest_offsets (source, dev, ino, offset, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset, updated_at = excluded.updated_at`)
		.run(source, position.dev, position.ino, position.offset, new Date().toISOString());
}
