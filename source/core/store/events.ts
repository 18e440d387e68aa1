import type Database from 'better-sqlite3';
import type {CmuxEvent} from '../events.js';
import {parseEventRow, type CorruptRow} from './rows.js';
import type {Statements} from './statements.js';

export interface EventQuery {
	/** At most this many (the newest); default 200. */
	limit?: number;
	/** Only events with a larger `seq`. */
	afterSeq?: number;
	/** Only these types. */
	types?: string[];
}

/** The `events` table: every event the orchestrator and one-shot commands record. */
export class EventTable {
	private readonly insertStatement: Database.Statement;
	private readonly newestStatement: Database.Statement;
	private readonly timesStatement: Database.Statement;
	private readonly typedStatement: Database.Statement;

	constructor(private readonly statements: Statements, private readonly corrupt: CorruptRow = () => {}) {
		this.insertStatement = statements.prepare('INSERT INTO events (ts, type, agent, data) VALUES (?, ?, ?, ?)');
		this.newestStatement = statements.report('SELECT id, data FROM events WHERE id > ? ORDER BY id DESC LIMIT ?');
		this.timesStatement = statements.report('SELECT id, ts FROM events WHERE id < ? ORDER BY id DESC LIMIT ?');
		this.typedStatement = statements.report('SELECT id, data FROM events WHERE type = ? AND id > ? ORDER BY id DESC LIMIT ?');
	}

	/** Persist an event; returns its id (its `seq`). */
	insert(event: CmuxEvent): number {
		const agent = 'agent' in event && typeof event.agent === 'string' ? event.agent : null;
		return Number(this.insertStatement.run(event.ts, event.type, agent, JSON.stringify(event)).lastInsertRowid);
	}

	/** The newest events, oldest first; `afterSeq` returns only newer ones. */
	recent(query: EventQuery = {}): Array<CmuxEvent & {seq: number}> {
		const limit = query.limit ?? 200;
		const after = query.afterSeq ?? 0;
		const types = query.types ?? [];
		// One indexed range per type, newest first, merged here: `type IN (…) ORDER BY id` would sort every row of those types.
		const rows = types.length === 0 ? this.newestStatement.all(after, limit) as Array<{id: number; data: string}>
			: types.flatMap(type => this.typedStatement.all(type, after, limit) as Array<{id: number; data: string}>).sort((a, b) => b.id - a.id).slice(0, limit);
		return rows.reverse().flatMap(row => {
			const parsed = parseEventRow(row);
			if (!parsed.ok) {
				this.corrupt(parsed.error);
				return [];
			}

			return [parsed.value];
		});
	}

	/**
	 * Timestamps (ms) of the events newer than `since` (ISO), newest first, reading back from the
	 * newest in pages by id so a huge table is never scanned; at most `cap` of them.
	 */
	timesSince(since: string, cap = 50_000): number[] {
		const times: number[] = [];
		let before = Number.MAX_SAFE_INTEGER;
		while (times.length < cap) {
			const page = this.timesStatement.all(before, Math.min(1000, cap - times.length)) as Array<{id: number; ts: string}>;
			for (const row of page) {
				if (row.ts < since) {
					return times;
				}

				times.push(Date.parse(row.ts));
			}

			if (page.length === 0) {
				return times;
			}

			before = page.at(-1)!.id;
		}

		return times;
	}
}
