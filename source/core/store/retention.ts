import type Database from 'better-sqlite3';
import type {CounterTable} from './counters.js';
import type {Statements} from './statements.js';

/** How long rows of one table are kept: by age (ms) and by count, whichever prunes more. */
export interface RetentionRule {
	maxAge: number;
	maxRows: number;
}

/** The `retention` config section, durations in ms: what the store keeps. */
export interface RetentionPolicy {
	events: RetentionRule;
	/** Finished messages only (delivered and dead letters); pending ones are never pruned. */
	messages: RetentionRule;
	alerts: RetentionRule;
}

/** Rows one step deleted, per table. */
export interface PruneCounts {
	events: number;
	messages: number;
	alerts: number;
}

const finishedStates = ['delivered', 'dead'] as const;

/**
 * Pruning of `events`, finished `messages` and `alerts`, oldest first, in bounded steps: each step
 * reads at most `batch` of the oldest rows of a table (by primary key or index) and deletes the
 * leading ones that are too old or over the count, in one short transaction. Counters follow by
 * trigger. Nothing else is touched: pending and delivering messages, alert windows and the outbox.
 */
export class RetentionTable {
	private readonly db: Database.Database;
	private readonly oldestEvents: Database.Statement;
	private readonly deleteEventsThrough: Database.Statement;
	private readonly oldestFinished: Database.Statement;
	private readonly deleteFinished: Database.Statement;
	private readonly oldestAlerts: Database.Statement;
	private readonly deleteAlertsThrough: Database.Statement;

	constructor(statements: Statements, private readonly counters: CounterTable) {
		this.db = statements.db;
		this.oldestEvents = statements.prepare('SELECT id, ts FROM events ORDER BY id LIMIT ?');
		this.deleteEventsThrough = statements.prepare('DELETE FROM events WHERE id <= ?');
		this.oldestFinished = statements.prepare('SELECT seq AS id, coalesce(delivered_at, ts) AS ts FROM messages WHERE state = ? ORDER BY seq LIMIT ?');
		this.deleteFinished = statements.prepare(`DELETE FROM messages WHERE seq = ? AND state IN ('delivered', 'dead')`);
		this.oldestAlerts = statements.prepare('SELECT id, ts FROM alerts ORDER BY id LIMIT ?');
		this.deleteAlertsThrough = statements.prepare('DELETE FROM alerts WHERE id <= ?');
	}

	/** One bounded step over every table at time `now` (epoch ms); zeros mean nothing is left to prune. */
	step(policy: RetentionPolicy, now: number, batch = 1000): PruneCounts {
		return {
			events: this.pruneRange(this.oldestEvents, this.deleteEventsThrough, 'events', policy.events, now, batch),
			messages: this.pruneMessages(policy.messages, now, batch),
			alerts: this.pruneRange(this.oldestAlerts, this.deleteAlertsThrough, 'alerts', policy.alerts, now, batch),
		};
	}

	private pruneRange(oldest: Database.Statement, deleteThrough: Database.Statement, group: 'events' | 'alerts', rule: RetentionRule, now: number, batch: number): number {
		return this.db.transaction(() => {
			const rows = oldest.all(batch) as Row[];
			const count = leadingExpired(rows, this.counters.storedSum(group) - rule.maxRows, cutoff(rule, now));
			return count === 0 ? 0 : deleteThrough.run(rows[count - 1]!.id).changes;
		}).immediate();
	}

	private pruneMessages(rule: RetentionRule, now: number, batch: number): number {
		return this.db.transaction(() => {
			const rows = finishedStates.flatMap(state => this.oldestFinished.all(state, batch) as Row[]).sort((a, b) => a.id - b.id).slice(0, batch);
			const count = leadingExpired(rows, this.counters.storedSum('messages', finishedStates) - rule.maxRows, cutoff(rule, now));
			let deleted = 0;
			for (const row of rows.slice(0, count)) {
				deleted += this.deleteFinished.run(row.id).changes;
			}

			return deleted;
		}).immediate();
	}
}

interface Row {
	id: number;
	ts: string;
}

function cutoff(rule: RetentionRule, now: number): string {
	return new Date(now - rule.maxAge).toISOString();
}

/** How many of `rows` (oldest first) go: the first `excess`, then on while they are older than `before`. */
function leadingExpired(rows: readonly Row[], excess: number, before: string): number {
	let count = 0;
	while (count < rows.length && (count < excess || rows[count]!.ts < before)) {
		count++;
	}

	return count;
}
