import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** A stored activity row (`agent_activity`), detail still JSON text. */
export interface ActivityRecord {
	agent: string;
	state: string;
	source: string;
	since: string;
	detail: string;
}

/** A stored supervision action (`supervision_actions`), detail still JSON text. */
export interface ActionRecord {
	ts: string;
	agent: string;
	action: string;
	outcome: string;
	detail: string;
}

/**
 * Supervision's tables: each agent's activity state (`agent_activity`, one row per agent) and the
 * actions taken on agents (`supervision_actions`, indexed by agent and time, read bounded), plus
 * the few reads of other tables the ladder needs (heartbeats, pending mail, start times).
 */
export class SupervisionTable {
	private readonly activityList: Database.Statement;
	private readonly activitySave: Database.Statement;
	private readonly activityDelete: Database.Statement;
	private readonly actionInsert: Database.Statement;
	private readonly beatList: Database.Statement;
	private readonly mailFor: Database.Statement;
	private readonly mailAll: Database.Statement;
	private readonly started: Database.Statement;
	private readonly known: Database.Statement;

	constructor(private readonly statements: Statements) {
		// One row per agent (tens): listing it whole is bounded.
		this.activityList = statements.report('SELECT agent, state, source, since, detail FROM agent_activity ORDER BY agent');
		this.activitySave = statements.prepare(`INSERT INTO agent_activity (agent, state, source, since, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(agent) DO UPDATE SET state = excluded.state, source = excluded.source, since = excluded.since, detail = excluded.detail, updated_at = excluded.updated_at`);
		this.activityDelete = statements.prepare('DELETE FROM agent_activity WHERE agent = ?');
		this.actionInsert = statements.prepare('INSERT INTO supervision_actions (ts, agent, action, outcome, detail) VALUES (?, ?, ?, ?, ?)');
		this.beatList = statements.prepare('SELECT agent, ts FROM heartbeats');
		this.mailFor = statements.prepare("SELECT to_addr AS \"to\", count(*) AS count, min(ts) AS oldest FROM messages WHERE state IN ('pending', 'delivering') GROUP BY to_addr");
		this.mailAll = statements.prepare("SELECT count(*) AS n FROM messages WHERE state IN ('pending', 'delivering')");
		this.started = statements.prepare('SELECT started_at AS startedAt, state FROM agents WHERE name = ?');
		this.known = statements.prepare('SELECT 1 FROM agents WHERE name = ?');
	}

	activity(): ActivityRecord[] {
		return this.activityList.all() as ActivityRecord[];
	}

	saveActivity(row: ActivityRecord): void {
		this.activitySave.run(row.agent, row.state, row.source, row.since, row.detail, new Date().toISOString());
	}

	deleteActivity(agent: string): void {
		this.activityDelete.run(agent);
	}

	recordAction(row: ActionRecord): void {
		this.actionInsert.run(row.ts, row.agent, row.action, row.outcome, row.detail);
	}

	/** Actions since `sinceIso` (newest first, at most `limit`), optionally of one agent and some kinds; uses the (agent, ts) or (ts) index. */
	actionsSince(sinceIso: string, options: {agent?: string; actions?: string[]; limit?: number} = {}): ActionRecord[] {
		const where = ['ts >= ?'];
		const parameters: unknown[] = [sinceIso];
		if (options.agent) {
			where.push('agent = ?');
			parameters.push(options.agent);
		}

		if (options.actions?.length) {
			where.push(`action IN (${options.actions.map(() => '?').join(',')})`);
			parameters.push(...options.actions);
		}

		return this.statements.db.prepare(`SELECT ts, agent, action, outcome, detail FROM supervision_actions WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ?`)
			.all(...parameters, options.limit ?? 500) as ActionRecord[];
	}

	/** Every agent's last heartbeat (one row per agent). */
	heartbeats(): Array<{agent: string; ts: string}> {
		return this.beatList.all() as Array<{agent: string; ts: string}>;
	}

	/** Undelivered mail by recipient address: how many, and the oldest's time (one query for every agent's review). */
	pendingMail(): Array<{to: string; count: number; oldest: string}> {
		return this.mailFor.all() as Array<{to: string; count: number; oldest: string}>;
	}

	pendingMailTotal(): number {
		return (this.mailAll.get() as {n: number}).n;
	}

	/** When the agent's current run started, if its row says it runs. */
	startedAt(agent: string): {startedAt: string | null; state: string} | undefined {
		return this.started.get(agent) as {startedAt: string | null; state: string} | undefined;
	}

	isRegistered(agent: string): boolean {
		return this.known.get(agent) !== undefined;
	}

	/** Run `work` in one immediate write transaction. */
	transaction(work: () => void): void {
		this.statements.db.transaction(work).immediate();
	}
}
