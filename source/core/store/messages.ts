import type Database from 'better-sqlite3';
import type {FilePosition} from '../files/segments.js';
import type {ParsedMessage, TaskStatus} from '../mailbox/parse.js';
import type {OffsetTable} from './offsets.js';
import type {Statements} from './statements.js';

export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'dead';

/** A row of the `messages` table, typed. */
export interface MessageRow {
	seq: number;
	id: string;
	ts: string;
	from: string;
	to: string;
	subject: string;
	body: string | null;
	taskStatus: TaskStatus;
	state: DeliveryState;
	attempts: number;
	nextAttemptAt: number;
	lastError: string | null;
	deliveredAt: string | null;
	maybeDuplicate: number;
	sourceLine: number | null;
	deliveryMark: string | null;
}

/** What one line did to the store. */
export type IngestItem =
	| {kind: 'message'; message: ParsedMessage; line: number}
	| {kind: 'status'; id: string; status: TaskStatus; line: number}
	| {kind: 'rejected'; line: number; reason: string; text?: string};

export type IngestOutcome =
	| {kind: 'received'; row: MessageRow}
	| {kind: 'duplicate'; id: string; line: number}
	| {kind: 'status'; row: MessageRow}
	| {kind: 'rejected'; line: number; reason: string; text?: string};

const columns = `seq, id, ts, from_addr AS "from", to_addr AS "to", subject, body, task_status AS taskStatus, state, attempts,
	next_attempt_at AS nextAttemptAt, last_error AS lastError, delivered_at AS deliveredAt, maybe_duplicate AS maybeDuplicate,
	source_line AS sourceLine, delivery_mark AS deliveryMark`;

/** The `messages` table: the mailbox's queue and every message's delivery state. */
export class MessageTable {
	private readonly db: Database.Database;
	private readonly insertStatement: Database.Statement;
	private readonly setStatusStatement: Database.Statement;
	private readonly getStatement: Database.Statement;
	private readonly waitingStatement: Database.Statement;
	private readonly headStatement: Database.Statement;
	private readonly deliveringStatement: Database.Statement;
	private readonly markDeliveringStatement: Database.Statement;
	private readonly markDeliveredStatement: Database.Statement;
	private readonly markRetryStatement: Database.Statement;
	private readonly markDeadStatement: Database.Statement;
	private readonly deadStatement: Database.Statement;
	private readonly recentStatement: Database.Statement;

	constructor(statements: Statements, private readonly offsets: OffsetTable) {
		this.db = statements.db;
		this.insertStatement = statements.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, body, task_status, source_line)
			VALUES (@id, @ts, @from, @to, @subject, @body, @status, @line) ON CONFLICT(id) DO NOTHING`);
		this.setStatusStatement = statements.prepare('UPDATE messages SET task_status = ? WHERE id = ?');
		this.getStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE id = ?`);
		this.waitingStatement = statements.prepare(`SELECT to_addr AS "to" FROM messages WHERE state IN ('pending', 'delivering') GROUP BY to_addr ORDER BY min(seq)`);
		this.headStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE to_addr = ? AND state IN ('pending', 'delivering') ORDER BY seq LIMIT 1`);
		this.deliveringStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE state = 'delivering' ORDER BY seq`);
		this.markDeliveringStatement = statements.prepare(`UPDATE messages SET state = 'delivering', delivery_mark = ? WHERE id = ?`);
		this.markDeliveredStatement = statements.prepare(`UPDATE messages SET state = 'delivered', delivered_at = ?, last_error = NULL, delivery_mark = NULL,
			maybe_duplicate = maybe_duplicate OR ? WHERE id = ?`);
		this.markRetryStatement = statements.prepare(`UPDATE messages SET state = 'pending', last_error = ?, attempts = ?, next_attempt_at = ?, delivery_mark = NULL,
			maybe_duplicate = maybe_duplicate OR ? WHERE id = ?`);
		this.markDeadStatement = statements.prepare(`UPDATE messages SET state = 'dead', last_error = ?, attempts = ?, delivery_mark = NULL WHERE id = ?`);
		this.deadStatement = statements.report(`SELECT ${columns} FROM messages WHERE state = 'dead' ORDER BY seq DESC LIMIT ?`);
		this.recentStatement = statements.report(`SELECT ${columns} FROM messages ORDER BY seq DESC LIMIT ?`);
	}

	/** Where the ingest of `source` (the mailbox file) stands, or undefined before the first line. */
	position(source: string): FilePosition | undefined {
		return this.offsets.load(source);
	}

	/**
	 * Store every item and advance the read position of `source` in ONE transaction, so after a
	 * crash a line is either stored with the position past it, or neither. Known ids are skipped.
	 */
	ingest(source: string, items: IngestItem[], after: FilePosition): IngestOutcome[] {
		return this.db.transaction(() => {
			const outcomes: IngestOutcome[] = [];
			for (const item of items) {
				if (item.kind === 'rejected') {
					outcomes.push(item);
				} else if (item.kind === 'message') {
					const {message} = item;
					const inserted = this.insertStatement.run({...message, body: message.body ?? null, line: item.line}).changes > 0;
					outcomes.push(inserted ? {kind: 'received', row: this.get(message.id)!} : {kind: 'duplicate', id: message.id, line: item.line});
				} else if (this.setStatusStatement.run(item.status, item.id).changes > 0) {
					outcomes.push({kind: 'status', row: this.get(item.id)!});
				} else {
					outcomes.push({kind: 'rejected', line: item.line, reason: `status_update for an unknown id: ${JSON.stringify(item.id)}`});
				}
			}

			this.offsets.save(source, after);
			return outcomes;
		}).immediate();
	}

	get(id: string): MessageRow | undefined {
		return this.getStatement.get(id) as MessageRow | undefined;
	}

	/** Recipients with messages waiting (pending or delivering), oldest first. */
	waitingRecipients(): string[] {
		return (this.waitingStatement.all() as Array<{to: string}>).map(row => row.to);
	}

	/** The oldest undelivered message for `to`: its queue head. */
	head(to: string): MessageRow | undefined {
		return this.headStatement.get(to) as MessageRow | undefined;
	}

	/** Messages caught in `delivering` (the orchestrator stopped during their send). */
	delivering(): MessageRow[] {
		return this.deliveringStatement.all() as MessageRow[];
	}

	/** Committed before the first key is sent, with where in the pane the send starts. */
	markDelivering(id: string, mark: string | null): void {
		this.markDeliveringStatement.run(mark, id);
	}

	markDelivered(id: string, at: string, options: {maybeDuplicate?: boolean} = {}): void {
		this.markDeliveredStatement.run(at, options.maybeDuplicate ? 1 : 0, id);
	}

	/** Back to pending after `attempts` tries, to be tried again at `nextAttemptAt` (epoch ms). */
	markRetry(id: string, error: string, attempts: number, nextAttemptAt: number, options: {maybeDuplicate?: boolean} = {}): void {
		this.markRetryStatement.run(error, attempts, nextAttemptAt, options.maybeDuplicate ? 1 : 0, id);
	}

	markDead(id: string, error: string, attempts: number): void {
		this.markDeadStatement.run(error, attempts, id);
	}

	/** Dead letters, newest first (for `status`, `/health` and the TUI). */
	deadLetters(limit: number): MessageRow[] {
		return this.deadStatement.all(limit) as MessageRow[];
	}

	/** The newest `limit` messages, oldest first (the TUI's mailbox pane). */
	recent(limit: number): MessageRow[] {
		return (this.recentStatement.all(limit) as MessageRow[]).reverse();
	}
}
