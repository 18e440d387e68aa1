import type Database from 'better-sqlite3';
import type {AlertBatch, WindowState} from '../alerts/cooldown.js';
import {parseJsonText} from '../input.js';
import {batchSchema, linesSchema, matchesSchema, type CorruptRow} from './rows.js';
import type {Statements} from './statements.js';

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

/**
 * `alert_windows` (each log's open cooldown window) and `alert_outbox` (batches handed to the
 * alerter and not yet written): what a crash must not lose. Retention never touches them.
 */
export class AlertWindowTable {
	private readonly loadStatement: Database.Statement;
	private readonly deleteStatement: Database.Statement;
	private readonly saveStatement: Database.Statement;
	private readonly addOutboxStatement: Database.Statement;
	private readonly removeOutboxStatement: Database.Statement;
	private readonly outboxStatement: Database.Statement;

	constructor(statements: Statements, private readonly corrupt: CorruptRow = () => {}) {
		this.loadStatement = statements.prepare('SELECT ends_at, count, first_at, last_at, matches, open_group FROM alert_windows WHERE source = ?');
		this.deleteStatement = statements.prepare('DELETE FROM alert_windows WHERE source = ?');
		this.saveStatement = statements.prepare(`INSERT INTO alert_windows (source, ends_at, count, first_at, last_at, matches, open_group, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(source) DO UPDATE SET ends_at = excluded.ends_at, count = excluded.count, first_at = excluded.first_at, last_at = excluded.last_at,
			matches = excluded.matches, open_group = excluded.open_group, updated_at = excluded.updated_at`);
		this.addOutboxStatement = statements.prepare('INSERT INTO alert_outbox (source, batch, created_at) VALUES (?, ?, ?)');
		this.removeOutboxStatement = statements.prepare('DELETE FROM alert_outbox WHERE id = ?');
		this.outboxStatement = statements.prepare('SELECT id, batch FROM alert_outbox WHERE source = ? ORDER BY id');
	}

	/** The persisted window of `source`, if any. */
	load(source: string): StoredWindow | undefined {
		const row = this.loadStatement.get(source) as WindowRow | undefined;
		if (!row) {
			return undefined;
		}

		const what = `alert_windows row ${JSON.stringify(source)}`;
		const matches = row.count > 0 ? parseJsonText(matchesSchema, row.matches, `${what} matches`) : undefined;
		const openGroup = row.open_group === null ? undefined : parseJsonText(linesSchema, row.open_group, `${what} open_group`);
		for (const parsed of [matches, openGroup]) {
			if (parsed && !parsed.ok) {
				// Skipped: the window starts over, so at worst one alert comes early.
				this.corrupt(parsed.error);
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
	save(source: string, stored: StoredWindow): void {
		const {state, openGroup} = stored;
		if (state.endsAt === undefined && !state.pending && !openGroup) {
			this.deleteStatement.run(source);
			return;
		}

		const {pending} = state;
		this.saveStatement.run(source, state.endsAt ?? null, pending?.count ?? 0, pending?.firstAt ?? null, pending?.lastAt ?? null,
			JSON.stringify(pending?.matches ?? []), openGroup ? JSON.stringify(openGroup) : null, new Date().toISOString());
	}

	/** Record a batch handed to the alerter; returns its id for `removeOutbox` once it is written. */
	addOutbox(source: string, batch: AlertBatch): number {
		return Number(this.addOutboxStatement.run(source, JSON.stringify(batch), new Date().toISOString()).lastInsertRowid);
	}

	removeOutbox(id: number): void {
		this.removeOutboxStatement.run(id);
	}

	/** Batches of `source` handed to the alerter but not confirmed written (a crash came between), oldest first. */
	outbox(source: string): Array<{id: number; batch: AlertBatch}> {
		const rows = this.outboxStatement.all(source) as Array<{id: number; batch: string}>;
		return rows.flatMap(row => {
			const parsed = parseJsonText(batchSchema, row.batch, `alert_outbox row ${row.id}`);
			if (!parsed.ok) {
				this.corrupt(parsed.error);
				return [];
			}

			return [{id: row.id, batch: parsed.value}];
		});
	}
}
