import type {Store} from '../store/store.js';
import {activityStates, signalSources, type Activity, type ActivityState, type SignalSource} from './states.js';

/** One row of `agent_activity`, as reports show it. */
export interface ActivityRow {
	agent: string;
	state: ActivityState;
	source: SignalSource;
	since: string;
	detail: Record<string, unknown>;
}

/** An automatic or manual supervision action, as budgets and `recover list` count it. */
export interface ActionRow {
	ts: string;
	agent: string;
	action: string;
	outcome: string;
	detail: Record<string, unknown>;
}

/** Every agent's stored activity, by name (a bounded read: one row per agent). */
export function activityRows(store: Store): ActivityRow[] {
	const rows = store.db.prepare('SELECT agent, state, source, since, detail FROM agent_activity ORDER BY agent').all() as Array<Omit<ActivityRow, 'detail'> & {detail: string}>;
	return rows.filter(row => (activityStates as readonly string[]).includes(row.state) && (signalSources as readonly string[]).includes(row.source))
		.map(row => ({...row, detail: parseDetail(row.detail)}));
}

/** Stored activity as the machine takes it (since in epoch ms). */
export function loadActivity(store: Store): Map<string, Activity> {
	return new Map(activityRows(store).map(row => [row.agent, {state: row.state, source: row.source, since: Date.parse(row.since), detail: row.detail}]));
}

export function saveActivity(store: Store, agent: string, activity: Activity): void {
	store.db.prepare(`INSERT INTO agent_activity (agent, state, source, since, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(agent) DO UPDATE SET state = excluded.state, source = excluded.source, since = excluded.since, detail = excluded.detail, updated_at = excluded.updated_at`)
		.run(agent, activity.state, activity.source, new Date(activity.since).toISOString(), JSON.stringify(activity.detail ?? {}), new Date().toISOString());
}

export function deleteActivity(store: Store, agent: string): void {
	store.db.prepare('DELETE FROM agent_activity WHERE agent = ?').run(agent);
}

export function recordAction(store: Store, row: Omit<ActionRow, 'ts'> & {ts?: string}): void {
	store.db.prepare('INSERT INTO supervision_actions (ts, agent, action, outcome, detail) VALUES (?, ?, ?, ?, ?)')
		.run(row.ts ?? new Date().toISOString(), row.agent, row.action, row.outcome, JSON.stringify(row.detail));
}

/** Actions since `sinceIso`, optionally of one agent and some kinds, newest first, at most `limit`. */
export function actionsSince(store: Store, sinceIso: string, options: {agent?: string; actions?: string[]; limit?: number} = {}): ActionRow[] {
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

	const rows = store.db.prepare(`SELECT ts, agent, action, outcome, detail FROM supervision_actions WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
		.all(...parameters, options.limit ?? 500) as Array<Omit<ActionRow, 'detail'> & {detail: string}>;
	return rows.map(row => ({...row, detail: parseDetail(row.detail)}));
}

function parseDetail(text: string): Record<string, unknown> {
	try {
		const value = JSON.parse(text) as unknown;
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
	} catch {
		// A hand-edited row: its detail is shown as empty rather than failing the report.
		return {};
	}
}
