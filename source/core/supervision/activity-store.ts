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
	const rows = store.supervision.activity() as Array<Omit<ActivityRow, 'detail'> & {detail: string}>;
	return rows.filter(row => (activityStates as readonly string[]).includes(row.state) && (signalSources as readonly string[]).includes(row.source))
		.map(row => ({...row, detail: parseDetail(row.detail)}));
}

/** Stored activity as the machine takes it (since in epoch ms). */
export function loadActivity(store: Store): Map<string, Activity> {
	return new Map(activityRows(store).map(row => [row.agent, {state: row.state, source: row.source, since: Date.parse(row.since), detail: row.detail}]));
}

export function saveActivity(store: Store, agent: string, activity: Activity): void {
	store.supervision.saveActivity({agent, state: activity.state, source: activity.source, since: new Date(activity.since).toISOString(), detail: JSON.stringify(activity.detail ?? {})});
}

export function deleteActivity(store: Store, agent: string): void {
	store.supervision.deleteActivity(agent);
}

export function recordAction(store: Store, row: Omit<ActionRow, 'ts'> & {ts?: string}): void {
	store.supervision.recordAction({ts: row.ts ?? new Date().toISOString(), agent: row.agent, action: row.action, outcome: row.outcome, detail: JSON.stringify(row.detail)});
}

/** Actions since `sinceIso`, optionally of one agent and some kinds, newest first, at most `limit`. */
export function actionsSince(store: Store, sinceIso: string, options: {agent?: string; actions?: string[]; limit?: number} = {}): ActionRow[] {
	const rows = store.supervision.actionsSince(sinceIso, options);
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
