import type {Store} from '../store/store.js';

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

/** Insert or update an agent's row; fields left undefined keep their stored value. */
export function saveAgentRow(store: Store, row: AgentRowUpdate): void {
	store.db.prepare(`INSERT INTO agents (name, type, state, window, pid, started_at, restarts, last_activity, detail)
		VALUES (@name, coalesce(@type, 'worker'), @state, @window, @pid, @startedAt, coalesce(@restarts, 0), @lastActivity, coalesce(@detail, '{}'))
		ON CONFLICT(name) DO UPDATE SET
			type = coalesce(@type, type), state = @state,
			window = CASE WHEN @setWindow THEN @window ELSE window END,
			pid = CASE WHEN @setPid THEN @pid ELSE pid END,
			started_at = CASE WHEN @setStarted THEN @startedAt ELSE started_at END,
			restarts = coalesce(@restarts, restarts),
			last_activity = coalesce(@lastActivity, last_activity),
			detail = coalesce(@detail, detail)`).run({
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

export function deleteAgentRow(store: Store, name: string): void {
	store.db.prepare('DELETE FROM agents WHERE name = ?').run(name);
}
