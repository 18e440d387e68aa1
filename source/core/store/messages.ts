import type Database from 'better-sqlite3';
import {StoreError} from '../errors.js';
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
	| {kind: 'rejected'; line: number; reason: string; text?: string; notice?: ParsedMessage};

export type IngestOutcome =
	| {kind: 'received'; row: MessageRow}
	| {kind: 'duplicate'; id: string; line: number}
	| {kind: 'status'; row: MessageRow; previous: TaskStatus}
	| {kind: 'status-unchanged'; id: string; line: number}
	| {kind: 'rejected'; line: number; reason: string; text?: string; notice?: MessageRow};

/** What moving a message's task status did. */
export type StatusChange = {kind: 'changed'; row: MessageRow; previous: TaskStatus} | {kind: 'unchanged'} | {kind: 'unknown'};

/** A message to `user` as `status` lists it (CMUX's dashboard messages). */
export interface UserMessage {
	id: string;
	ts: string;
	from: string;
	subject: string;
	taskStatus: string;
}

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
	private readonly followingStatement: Database.Statement;
	private readonly statements: Statements;
	private readonly deliveringStatement: Database.Statement;
	private readonly markDeliveringStatement: Database.Statement;
	private readonly markDeliveredStatement: Database.Statement;
	private readonly markRetryStatement: Database.Statement;
	private readonly markDeadStatement: Database.Statement;
	private readonly deadStatement: Database.Statement;
	private readonly recentStatement: Database.Statement;
	private readonly recentRoutesStatement: Database.Statement;
	private readonly recordStatement: Database.Statement;
	private readonly toUserStatement: Database.Statement;

	constructor(statements: Statements, private readonly offsets: OffsetTable) {
		this.db = statements.db;
		this.statements = statements;
		this.insertStatement = statements.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, body, task_status, source_line)
			VALUES (@id, @ts, @from, @to, @subject, @body, @status, @line) ON CONFLICT(id) DO NOTHING RETURNING ${columns}`);
		this.setStatusStatement = statements.prepare('UPDATE messages SET task_status = ? WHERE id = ?');
		this.getStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE id = ?`);
		this.waitingStatement = statements.prepare(`SELECT to_addr AS "to" FROM messages WHERE state IN ('pending', 'delivering') GROUP BY to_addr ORDER BY min(seq)`);
		// Two index lookups of min(seq), not `state IN (…) ORDER BY seq`: that sorts the whole queue on every call.
		this.headStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE seq = (SELECT min(seq) FROM (
			SELECT min(seq) AS seq FROM messages WHERE to_addr = @to AND state = 'pending'
			UNION ALL SELECT min(seq) FROM messages WHERE to_addr = @to AND state = 'delivering'))`);
		this.followingStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE to_addr = ? AND seq > ? ORDER BY seq LIMIT ?`);
		this.deliveringStatement = statements.prepare(`SELECT ${columns} FROM messages WHERE state = 'delivering' ORDER BY seq`);
		this.markDeliveringStatement = statements.prepare(`UPDATE messages SET state = 'delivering', delivery_mark = ? WHERE seq = ?`);
		this.markDeliveredStatement = statements.prepare(`UPDATE messages SET state = 'delivered', delivered_at = ?, last_error = NULL, delivery_mark = NULL,
			maybe_duplicate = maybe_duplicate OR ? WHERE seq = ?`);
		this.markRetryStatement = statements.prepare(`UPDATE messages SET state = 'pending', last_error = ?, attempts = ?, next_attempt_at = ?,
			maybe_duplicate = maybe_duplicate OR ? WHERE seq = ?`);
		this.markDeadStatement = statements.prepare(`UPDATE messages SET state = 'dead', last_error = ?, attempts = ?, delivery_mark = NULL WHERE seq = ?`);
		this.deadStatement = statements.report(`SELECT ${columns} FROM messages WHERE state = 'dead' ORDER BY seq DESC LIMIT ?`);
		this.recentStatement = statements.report(`SELECT ${columns} FROM messages ORDER BY seq DESC LIMIT ?`);
		this.recentRoutesStatement = statements.report(`SELECT from_addr AS "from", to_addr AS "to", substr(subject, 1, 60) AS subject FROM messages ORDER BY seq DESC LIMIT ?`);
		this.recordStatement = statements.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, body, task_status, state, attempts, delivered_at)
			VALUES (@id, @ts, @from, @to, @subject, @body, @status, 'delivered', 1, @deliveredAt) ON CONFLICT(id) DO NOTHING`);
		this.toUserStatement = statements.report(`SELECT id, ts, from_addr AS "from", subject, task_status AS taskStatus FROM messages WHERE to_addr = 'user' ORDER BY seq DESC LIMIT ?`);
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
					// The notice to the sender is stored with the rejection, so it is sent exactly once.
					const {notice, ...rejected} = item;
					const stored = notice ? this.insertStatement.get({...notice, body: notice.body ?? null, line: null}) as MessageRow | undefined : undefined;
					outcomes.push({...rejected, ...(stored ? {notice: stored} : {})});
				} else if (item.kind === 'message') {
					const {message} = item;
					const row = this.insertStatement.get({...message, body: message.body ?? null, line: item.line}) as MessageRow | undefined;
					outcomes.push(row ? {kind: 'received', row} : {kind: 'duplicate', id: message.id, line: item.line});
				} else {
					const change = this.setTaskStatus(item.id, item.status);
					outcomes.push(change.kind === 'changed' ? {kind: 'status', row: change.row, previous: change.previous}
						: change.kind === 'unchanged' ? {kind: 'status-unchanged', id: item.id, line: item.line}
							: {kind: 'rejected', line: item.line, reason: `status_update for an unknown id: ${JSON.stringify(item.id)}`});
				}
			}

			this.offsets.save(source, after);
			return outcomes;
		}).immediate();
	}

	/**
	 * Move a message's task status (a `status_update` line, CMUX's `PATCH /api/messages/{id}/status`).
	 * CMUX's `mailbox update` does both for one change, so setting the status it already has is `unchanged`.
	 */
	setTaskStatus(id: string, status: TaskStatus): StatusChange {
		const current = this.get(id);
		if (!current) {
			return {kind: 'unknown'};
		}

		if (current.taskStatus === status) {
			return {kind: 'unchanged'};
		}

		this.setStatusStatement.run(status, id);
		return {kind: 'changed', row: this.get(id)!, previous: current.taskStatus};
	}

	/**
	 * Store a message that needs no delivery by the router: one to `user` (shown in the TUI), or one
	 * its sender typed into the pane itself and only records (CMUX's `/api/messages/internal`).
	 */
	record(message: ParsedMessage, deliveredAt: string): MessageRow | undefined {
		const inserted = this.recordStatement.run({...message, body: message.body ?? null, deliveredAt}).changes > 0;
		return inserted ? this.get(message.id) : undefined;
	}

	/** The newest messages to `user`, newest first (`status`). */
	toUser(limit: number): UserMessage[] {
		return this.toUserStatement.all(limit) as UserMessage[];
	}

	get(id: string): MessageRow | undefined {
		return this.getStatement.get(id) as MessageRow | undefined;
	}

	/** Recipients with messages waiting (pending or delivering), oldest first. */
	waitingRecipients(): string[] {
		return (this.waitingStatement.all() as Array<{to: string}>).map(row => row.to);
	}

	/**
	 * The oldest undelivered message for any of `addresses` (the forms naming one recipient, such
	 * as `worker-1` and `cmux:worker-1`): its queue head. `skip`: rows the router gave up on in
	 * memory; rare, usually empty. One indexed lookup per address, the lowest `seq` wins.
	 */
	head(addresses: readonly string[], skip: readonly number[] = []): MessageRow | undefined {
		let oldest: MessageRow | undefined;
		for (const to of addresses) {
			const row = (skip.length === 0
				? this.headStatement.get({to})
				: this.statements.prepare(`SELECT ${columns} FROM messages WHERE to_addr = ? AND state IN ('pending', 'delivering')
					AND seq NOT IN (${skip.map(() => '?').join(',')}) ORDER BY seq LIMIT 1`).get(to, ...skip)) as MessageRow | undefined;
			if (row && (!oldest || row.seq < oldest.seq)) {
				oldest = row;
			}
		}

		return oldest;
	}

	/** Up to `limit` messages to any of `addresses` after `seq`, in `seq` order, whatever their state (the router's batches). */
	following(addresses: readonly string[], seq: number, limit: number): MessageRow[] {
		const rows = addresses.flatMap(to => this.followingStatement.all(to, seq, limit) as MessageRow[]);
		return rows.sort((a, b) => a.seq - b.seq).slice(0, limit);
	}

	/** Messages caught in `delivering` (the orchestrator stopped during their send). */
	delivering(): MessageRow[] {
		return this.deliveringStatement.all() as MessageRow[];
	}

	/**
	 * Committed before the first key is sent, with where in the pane the send starts. Every state
	 * change is keyed by `seq`: an integer always matches its row, while a text id is only as good as
	 * its round trip through UTF-8. Each throws a StoreError when no row changed.
	 */
	markDelivering(seq: number, mark: string | null): void {
		changed(this.markDeliveringStatement.run(mark, seq), seq);
	}

	markDelivered(seq: number, at: string, options: {maybeDuplicate?: boolean} = {}): void {
		changed(this.markDeliveredStatement.run(at, options.maybeDuplicate ? 1 : 0, seq), seq);
	}

	/** `markDelivering` for a batch sent from one mark, in one transaction: all or none. */
	markDeliveringAll(seqs: readonly number[], mark: string): void {
		this.db.transaction(() => {
			for (const seq of seqs) {
				this.markDelivering(seq, mark);
			}
		}).immediate();
	}

	/** `markDelivered` for the confirmed part of a batch, in one transaction: all or none. */
	markDeliveredAll(seqs: readonly number[], at: string): void {
		this.db.transaction(() => {
			for (const seq of seqs) {
				this.markDelivered(seq, at);
			}
		}).immediate();
	}

	/**
	 * Back to pending after `attempts` tries, to be tried again at `nextAttemptAt` (epoch ms). A
	 * delivery mark stays: some try may have typed the text, so the next one looks for it first.
	 */
	markRetry(seq: number, error: string, attempts: number, nextAttemptAt: number, options: {maybeDuplicate?: boolean} = {}): void {
		changed(this.markRetryStatement.run(error, attempts, nextAttemptAt, options.maybeDuplicate ? 1 : 0, seq), seq);
	}

	markDead(seq: number, error: string, attempts: number): void {
		changed(this.markDeadStatement.run(error, attempts, seq), seq);
	}

	/** Dead letters, newest first (for `status`, `/health` and the TUI). */
	deadLetters(limit: number): MessageRow[] {
		return this.deadStatement.all(limit) as MessageRow[];
	}

	/** The newest `limit` messages, oldest first (the TUI's mailbox pane). */
	recent(limit: number): MessageRow[] {
		return (this.recentStatement.all(limit) as MessageRow[]).reverse();
	}

	/**
	 * Who wrote to whom in the newest `limit` messages, newest first, with the subject's first 60
	 * characters: the wait-for graph reads only these, a fifth of the cost of whole rows.
	 */
	recentRoutes(limit: number): Array<{from: string; to: string; subject: string}> {
		return this.recentRoutesStatement.all(limit) as Array<{from: string; to: string; subject: string}>;
	}
}

function changed(result: Database.RunResult, seq: number): void {
	if (result.changes !== 1) {
		throw new StoreError(`message row ${seq}: its delivery state did not change (${result.changes} rows)`);
	}
}
