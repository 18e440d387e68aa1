import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** States an agent row can be in (the contract the UI, health report and other features read). */
export type AgentState = 'starting' | 'running' | 'idle' | 'busy' | 'exited' | 'restarting' | 'failed' | 'zombie' | 'stopped' | 'missing';

export interface AgentRowUpdate {
	name: string;
	type?: string;
	state: AgentState;
	window?: string | null;
	pid?: number | null;
	startedAt?: string | null;
	restarts?: number;
	lastActivity?: string | null;
	detail?: Record<string, unknown>;
}

/** An agent's row joined with its last heartbeat: what reports and the TUI list. */
export interface AgentRow {
	name: string;
	type: string;
	state: string;
	window: string | null;
	pid: number | null;
	startedAt: string | null;
	restarts: number;
	lastActivity: string | null;
	lastBeat: string | null;
}

/** The `agents` table (one row per known agent) and the `heartbeats` joined to it. */
export class AgentTable {
	private readonly saveStatement: Database.Statement;
	private readonly deleteStatement: Database.Statement;
	private readonly windowStatement: Database.Statement;
	private readonly statesStatement: Database.Statement;
	private readonly listStatement: Database.Statement;
	private readonly activityStatement: Database.Statement;

	constructor(statements: Statements) {
		this.saveStatement = statements.prepare(`INSERT INTO agents (name, type, state, window, pid, started_at, restarts, last_activity, detail)
			VALUES (@name, coalesce(@type, 'worker'), @state, @window, @pid, @startedAt, coalesce(@restarts, 0), @lastActivity, coalesce(@detail, '{}'))
			ON CONFLICT(name) DO UPDATE SET
				type = coalesce(@type, type), state = @state,
				window = CASE WHEN @setWindow THEN @window ELSE window END,
				pid = CASE WHEN @setPid THEN @pid ELSE pid END,
				started_at = CASE WHEN @setStarted THEN @startedAt ELSE started_at END,
				restarts = coalesce(@restarts, restarts),
				last_activity = coalesce(@lastActivity, last_activity),
				detail = coalesce(@detail, detail)`);
		this.deleteStatement = statements.prepare('DELETE FROM agents WHERE name = ?');
		this.windowStatement = statements.prepare('SELECT window FROM agents WHERE name = ?');
		this.statesStatement = statements.prepare('SELECT name, state, restarts FROM agents');
		// The agents table holds one row per agent (tens, not millions): listing it whole is bounded.
		this.listStatement = statements.report(`SELECT a.name, a.type, a.state, a.window, a.pid, a.started_at AS startedAt, a.restarts,
			a.last_activity AS lastActivity, h.ts AS lastBeat FROM agents a LEFT JOIN heartbeats h ON h.agent = a.name ORDER BY a.name`);
		this.activityStatement = statements.prepare('UPDATE agents SET last_activity = ? WHERE name = ?');
	}

	/** Insert or update an agent's row; fields left undefined keep their stored value. */
	save(row: AgentRowUpdate): void {
		this.saveStatement.run({
			name: row.name,
			type: row.type ?? null,
			state: row.state,
			window: row.window ?? null,
			setWindow: row.window === undefined ? 0 : 1,
			pid: row.pid ?? null,
			setPid: row.pid === undefined ? 0 : 1,
			startedAt: row.startedAt ?? null,
			setStarted: row.startedAt === undefined ? 0 : 1,
			restarts: row.restarts ?? null,
			lastActivity: row.lastActivity ?? null,
			detail: row.detail ? JSON.stringify(row.detail) : null,
		});
	}

	delete(name: string): void {
		this.deleteStatement.run(name);
	}

	/** Whether `name` has a row. */
	has(name: string): boolean {
		return this.windowStatement.get(name) !== undefined;
	}

	/** The stored tmux target of agent `name` (undefined: no row, null: no window known). */
	window(name: string): string | null | undefined {
		return (this.windowStatement.get(name) as {window: string | null} | undefined)?.window;
	}

	/** Every agent's stored state and restart count, by name. */
	states(): Map<string, {name: string; state: string; restarts: number}> {
		return new Map((this.statesStatement.all() as Array<{name: string; state: string; restarts: number}>).map(row => [row.name, row]));
	}

	/** Every agent joined with its last heartbeat, by name. */
	list(): AgentRow[] {
		return this.listStatement.all() as AgentRow[];
	}

	/** Record that agent `name` showed activity at `ts` (ISO). */
	touch(name: string, ts: string): void {
		this.activityStatement.run(ts, name);
	}
}
