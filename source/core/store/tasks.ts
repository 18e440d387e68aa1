import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** A stored task (`tasks`), columns as the core uses them. */
export interface TaskRow {
	id: string;
	seq: number;
	title: string;
	body: string | null;
	agent: string | null;
	state: string;
	verify: string | null;
	budgetMs: number | null;
	maxTurns: number | null;
	turns: number;
	nudges: number;
	restarts: number;
	blockedOn: string | null;
	messageId: string | null;
	baseCommit: string | null;
	offeredAt: string | null;
	startedAt: string | null;
	finishedAt: string | null;
	budgetLevel: number;
	note: string | null;
	createdAt: string;
	updatedAt: string;
	/** Ids of the tasks this one waits for. */
	depends: string[];
}

/** The columns a caller may change on an existing task. */
export type TaskPatch = Partial<Omit<TaskRow, 'id' | 'seq' | 'createdAt' | 'depends'>>;

const columns = `id, seq, title, body, agent, state, verify, budget_ms AS budgetMs, max_turns AS maxTurns, turns, nudges, restarts,
	blocked_on AS blockedOn, message_id AS messageId, base_commit AS baseCommit, offered_at AS offeredAt, started_at AS startedAt,
	finished_at AS finishedAt, budget_level AS budgetLevel, note, created_at AS createdAt, updated_at AS updatedAt`;

const columnOf: Record<string, string> = {
	title: 'title', body: 'body', agent: 'agent', state: 'state', verify: 'verify', budgetMs: 'budget_ms', maxTurns: 'max_turns',
	turns: 'turns', nudges: 'nudges', restarts: 'restarts', blockedOn: 'blocked_on', messageId: 'message_id', baseCommit: 'base_commit',
	offeredAt: 'offered_at', startedAt: 'started_at', finishedAt: 'finished_at', budgetLevel: 'budget_level', note: 'note', updatedAt: 'updated_at',
};

/** The limit on listings: tasks are a team's work list (tens to hundreds), never unbounded reads. */
const listLimit = 1000;

/** Tasks and their dependencies (`tasks`, `task_deps`); history lives in the `task.state` events. */
export class TaskTable {
	private readonly insertStatement: Database.Statement;
	private readonly depInsert: Database.Statement;
	private readonly getStatement: Database.Statement;
	private readonly depsOf: Database.Statement;
	private readonly listAll: Database.Statement;
	private readonly listState: Database.Statement;
	private readonly byAgent: Database.Statement;
	private readonly byMessage: Database.Statement;
	private readonly nextSeq: Database.Statement;
	private readonly history: Database.Statement;
	private readonly pendingMail: Database.Statement;
	private readonly patches = new Map<string, Database.Statement>();

	constructor(private readonly statements: Statements) {
		this.insertStatement = statements.prepare(`INSERT INTO tasks (id, seq, title, body, agent, state, verify, budget_ms, max_turns, created_at, updated_at)
			VALUES (@id, @seq, @title, @body, @agent, @state, @verify, @budgetMs, @maxTurns, @createdAt, @createdAt)`);
		this.depInsert = statements.prepare('INSERT OR IGNORE INTO task_deps (task, depends) VALUES (?, ?)');
		this.getStatement = statements.prepare(`SELECT ${columns} FROM tasks WHERE id = ?`);
		this.depsOf = statements.prepare('SELECT depends FROM task_deps WHERE task = ? ORDER BY depends');
		this.listAll = statements.report(`SELECT ${columns} FROM tasks ORDER BY seq LIMIT ${listLimit}`);
		this.listState = statements.report(`SELECT ${columns} FROM tasks WHERE state = ? ORDER BY seq LIMIT ${listLimit}`);
		this.byAgent = statements.prepare(`SELECT ${columns} FROM tasks WHERE agent = ? ORDER BY seq LIMIT ${listLimit}`);
		this.byMessage = statements.prepare(`SELECT ${columns} FROM tasks WHERE message_id = ?`);
		this.nextSeq = statements.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM tasks');
		this.pendingMail = statements.prepare(`SELECT id, ts, from_addr AS "from", subject FROM messages WHERE to_addr IN (?, ?) AND state IN ('pending', 'delivering') ORDER BY seq LIMIT 50`);
		this.history = statements.prepare("SELECT data FROM events WHERE type = 'task.state' AND json_extract(data, '$.task') = ? ORDER BY id DESC LIMIT 200");
	}

	/** Insert a new task with the next id (`t1`, `t2`, …) and its dependencies; returns it. */
	add(task: {title: string; body?: string; agent?: string; state: string; verify?: string; budgetMs?: number; maxTurns?: number; depends: string[]; createdAt: string}): TaskRow {
		return this.statements.db.transaction(() => {
			const {seq} = this.nextSeq.get() as {seq: number};
			const id = `t${seq}`;
			this.insertStatement.run({
				id, seq, title: task.title, body: task.body ?? null, agent: task.agent ?? null, state: task.state, verify: task.verify ?? null,
				budgetMs: task.budgetMs ?? null, maxTurns: task.maxTurns ?? null, createdAt: task.createdAt,
			});
			for (const depends of task.depends) {
				this.depInsert.run(id, depends);
			}

			return this.get(id)!;
		}).immediate();
	}

	get(id: string): TaskRow | undefined {
		const row = this.getStatement.get(id) as Omit<TaskRow, 'depends'> | undefined;
		return row ? this.withDeps(row) : undefined;
	}

	/** Every task (or those in one state), in creation order, bounded. */
	list(state?: string): TaskRow[] {
		const rows = (state ? this.listState.all(state) : this.listAll.all()) as Array<Omit<TaskRow, 'depends'>>;
		return rows.map(row => this.withDeps(row));
	}

	/** An agent's tasks in creation order (its queue). */
	ofAgent(agent: string): TaskRow[] {
		return (this.byAgent.all(agent) as Array<Omit<TaskRow, 'depends'>>).map(row => this.withDeps(row));
	}

	/** The task whose assignment message has this id. */
	byMessageId(id: string): TaskRow | undefined {
		const row = this.byMessage.get(id) as Omit<TaskRow, 'depends'> | undefined;
		return row ? this.withDeps(row) : undefined;
	}

	/** Change some columns of a task. */
	update(id: string, patch: TaskPatch): void {
		const keys = Object.keys(patch).filter(key => columnOf[key] !== undefined).sort();
		if (keys.length === 0) {
			return;
		}

		const shape = keys.join(',');
		let statement = this.patches.get(shape);
		if (!statement) {
			// One statement per set of columns, prepared on first use (callers change few shapes).
			statement = this.statements.prepare(`UPDATE tasks SET ${keys.map(key => `${columnOf[key]!} = @${key}`).join(', ')} WHERE id = @id`);
			this.patches.set(shape, statement);
		}

		statement.run({...Object.fromEntries(keys.map(key => [key, (patch as Record<string, unknown>)[key] ?? null])), id});
	}

	/** The task's `task.state` events, oldest first (at most the newest 200). */
	historyOf(id: string): Array<Record<string, unknown>> {
		return (this.history.all(id) as Array<{data: string}>).reverse().map(row => JSON.parse(row.data) as Record<string, unknown>);
	}

	/** Undelivered mail to an agent (by name or `session:name`), oldest first, at most 50 (for a compaction hand-off). */
	mailFor(addresses: [string, string]): Array<{id: string; ts: string; from: string; subject: string}> {
		return this.pendingMail.all(...addresses) as Array<{id: string; ts: string; from: string; subject: string}>;
	}

	/** Run `work` in one immediate write transaction. */
	transaction<T>(work: () => T): T {
		return this.statements.db.transaction(work).immediate();
	}

	private withDeps(row: Omit<TaskRow, 'depends'>): TaskRow {
		return {...row, depends: (this.depsOf.all(row.id) as Array<{depends: string}>).map(dep => dep.depends)};
	}
}
