import type Database from 'better-sqlite3';
import {z} from 'zod';
import type {InputError} from '../errors.js';
import {parseJsonText} from '../input.js';
import type {AlertBatch, WindowState} from './cooldown.js';

/** The JSON columns of `alert_windows` and `alert_outbox`, parsed on read (a corrupt row is skipped). */
const linesSchema = z.array(z.string());
const matchesSchema = z.array(linesSchema);
const batchSchema = z.object({count: z.number().int().min(0), matches: matchesSchema, firstAt: z.number(), lastAt: z.number()});

/** A source's persisted cooldown window and the match that was waiting for continuation lines. */
export interface StoredWindow {
	state: WindowState;
	openGroup?: string[];
}

interface WindowRow {
	ends_at: number | null;
	count: number;
	first_at: number | null;
	last_at: number | null;
	matches: string;
	open_group: string | null;
}

/** The persisted window of `source` (`alert_windows`), if any; a corrupt row is reported to `onCorrupt` and ignored. */
export function loadWindow(db: Database.Database, source: string, onCorrupt: (error: InputError) => void): StoredWindow | undefined {
	const row = db.prepare('SELECT ends_at, count, first_at, last_at, matches, open_group FROM alert_windows WHERE source = ?').get(source) as WindowRow | undefined;
	if (!row) {
		return undefined;
	}

	const what = `alert_windows row ${JSON.stringify(source)}`;
	const matches = row.count > 0 ? parseJsonText(matchesSchema, row.matches, `${what} matches`) : undefined;
	const openGroup = row.open_group === null ? undefined : parseJsonText(linesSchema, row.open_group, `${what} open_group`);
	for (const parsed of [matches, openGroup]) {
		if (parsed && !parsed.ok) {
			onCorrupt(parsed.error);
			return undefined;
		}
	}

	const pending: AlertBatch | undefined = matches?.ok
		? {count: row.count, matches: matches.value, firstAt: row.first_at ?? 0, lastAt: row.last_at ?? row.first_at ?? 0}
		: undefined;
	return {
		state: {...(row.ends_at === null ? {} : {endsAt: row.ends_at}), ...(pending ? {pending} : {})},
		...(openGroup?.ok ? {openGroup: openGroup.value} : {}),
	};
}

/** Persist the window of `source`; a closed window with nothing waiting removes the row. */
export function saveWindow(db: Database.Database, source: string, stored: StoredWindow): void {
	const {state, openGroup} = stored;
	if (state.endsAt === undefined && !state.pending && !openGroup) {
		db.prepare('DELETE FROM alert_windows WHERE source = ?').run(source);
		return;
	}

	const {pending} = state;
	db.prepare(`INSERT INTO alert_windows (source, ends_at, count, first_at, last_at, matches, open_group, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET ends_at = excluded.ends_at, count = excluded.count, first_at = excluded.first_at, last_at = excluded.last_at,
		matches = excluded.matches, open_group = excluded.open_group, updated_at = excluded.updated_at`)
		.run(source, state.endsAt ?? null, pending?.count ?? 0, pending?.firstAt ?? null, pending?.lastAt ?? null,
			JSON.stringify(pending?.matches ?? []), openGroup ? JSON.stringify(openGroup) : null, new Date().toISOString());
}

/** Record a batch handed to the alerter; returns its id for `removeOutbox` once it is written. */
export function addOutbox(db: Database.Database, source: string, batch: AlertBatch): number {
	return Number(db.prepare('INSERT INTO alert_outbox (source, batch, created_at) VALUES (?, ?, ?)').run(source, JSON.stringify(batch), new Date().toISOString()).lastInsertRowid);
}

export function removeOutbox(db: Database.Database, id: number): void {
	db.prepare('DELETE FROM alert_outbox WHERE id = ?').run(id);
}

/** Batches of `source` handed to the alerter but not confirmed written (a crash came between), oldest first. */
export function loadOutbox(db: Database.Database, source: string, onCorrupt: (error: InputError) => void): Array<{id: number; batch: AlertBatch}> {
	const rows = db.prepare('SELECT id, batch FROM alert_outbox WHERE source = ? ORDER BY id').all(source) as Array<{id: number; batch: string}>;
	return rows.flatMap(row => {
		const parsed = parseJsonText(batchSchema, row.batch, `alert_outbox row ${row.id}`);
		if (!parsed.ok) {
			onCorrupt(parsed.error);
			return [];
		}

		return [{id: row.id, batch: parsed.value}];
	});
}
