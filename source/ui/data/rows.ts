import type {AgentRow} from '../../core/health/report.js';
import type {Usage} from '../../core/process/usage.js';
import {activityCell, activityLook, attentionRank, type Activity} from './activity.js';
import {ago, clockTime, oneLine, shortDuration} from './format.js';
import type {AlertRow, MessageRow, Snapshot} from './snapshot.js';

/** How a row is emphasised: `bad` rows are red and marked so they show without colour too. */
export type Tone = 'good' | 'warn' | 'bad' | 'dim' | undefined;

/** One table row: cells as shown, plus what the pane needs to act on it. */
export interface TableRow<T> {
	key: string;
	cells: string[];
	tone?: Tone;
	/** Tone of the state cell only. */
	stateTone?: Tone;
	item: T;
}

const goodStates = new Set(['running', 'idle', 'busy', 'delivered']);
const warnStates = new Set(['starting', 'restarting', 'pending', 'delivering', 'stopped']);

/** Colour class of an agent or message state. */
export function stateTone(state: string): Tone {
	if (goodStates.has(state)) {
		return 'good';
	}

	return warnStates.has(state) ? 'warn' : 'bad';
}

/** Agents whose start time means something for uptime. */
const liveStates = new Set(['starting', 'running', 'idle', 'busy']);

/** What an agent row shows besides the agents table: activity, escalation, cpu and memory. */
export interface AgentExtras {
	activity: ReadonlyMap<string, Activity>;
	escalated: ReadonlySet<string>;
	usage?: ReadonlyMap<number, Usage>;
}

/** Agents rows, those that need a person first (waiting for approval or input, stalled, escalated), then by name. */
export function agentTableRows(agents: readonly AgentRow[], extras: AgentExtras, now: number): Array<TableRow<AgentRow> & {rank: number}> {
	const rows = agents.map(agent => {
		const activity = extras.activity.get(agent.name);
		const escalated = extras.escalated.has(agent.name);
		const usage = agent.pid === null ? undefined : extras.usage?.get(agent.pid);
		return {
			key: agent.name,
			item: agent,
			rank: attentionRank(activity, escalated),
			stateTone: activity ? activityLook(activity.state).tone : escalated ? 'bad' as const : stateTone(agent.state),
			cells: [
				agent.name,
				activityCell(activity, escalated),
				agent.state,
				agent.type,
				agent.pid === null ? '-' : String(agent.pid),
				usage ? `${usage.cpu.toFixed(0)}%` : '-',
				usage ? memory(usage.rss) : '-',
				agent.startedAt && liveStates.has(agent.state) ? shortDuration(now - Date.parse(agent.startedAt)) : '-',
				String(agent.restarts),
				activity ? `${activity.state} ${ago(activity.since, now)}${activity.source ? ` (${activity.source})` : ''}` : ago(agent.lastActivity ?? agent.lastBeat, now),
			],
		};
	});
	return rows.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key));
}

/** `12M`, `1.4G`: resident memory in a cell. */
export function memory(bytes: number): string {
	const mib = bytes / 1024 / 1024;
	return mib >= 1024 ? `${(mib / 1024).toFixed(1)}G` : `${Math.round(mib)}M`;
}

/** Rows sorted by one column (numbers as numbers), or as they came when `sort` is undefined. */
export function sortRows<T>(rows: Array<TableRow<T>>, sort: {column: number; descending: boolean} | undefined): Array<TableRow<T>> {
	if (!sort) {
		return rows;
	}

	const sign = sort.descending ? -1 : 1;
	return [...rows].sort((a, b) => sign * (a.cells[sort.column] ?? '').localeCompare(b.cells[sort.column] ?? '', undefined, {numeric: true}));
}

export function messageTableRows(messages: readonly MessageRow[]): Array<TableRow<MessageRow>> {
	return messages.map(message => ({
		key: message.id,
		item: message,
		tone: message.state === 'dead' ? 'bad' : undefined,
		stateTone: stateTone(message.state),
		cells: [
			clockTime(message.ts),
			oneLine(`${message.from} → ${message.to}`),
			oneLine(message.subject),
			message.state === 'dead' ? '‼ dead' : message.state,
		],
	}));
}

export function alertTableRows(alerts: readonly AlertRow[]): Array<TableRow<AlertRow>> {
	return alerts.map(alert => ({
		key: String(alert.id),
		item: alert,
		cells: [clockTime(alert.ts), alert.file, String(alert.count), oneLine(alert.sample.split('\n')[0] ?? '')],
	}));
}

/** Rows whose cells contain `filter` (case-insensitive); all rows for an empty filter. */
export function filterRows<T>(rows: ReadonlyArray<TableRow<T>>, filter: string): Array<TableRow<T>> {
	const needle = filter.trim().toLowerCase();
	return needle === '' ? [...rows] : rows.filter(row => row.cells.some(cell => cell.toLowerCase().includes(needle)));
}

/** Rows of every table pane, filtered as the UI state says. */
export interface PaneRows {
	agents: Array<TableRow<AgentRow>>;
	mailbox: Array<TableRow<MessageRow>>;
	alerts: Array<TableRow<AlertRow>>;
}

export type PaneSort = Partial<Record<'agents' | 'mailbox' | 'alerts', {column: number; descending: boolean}>>;

export function paneRows(snapshot: Snapshot, filters: {agents: string; mailbox: string; alerts: string}, sort: PaneSort = {}, usage?: ReadonlyMap<number, Usage>): PaneRows {
	return {
		agents: sortRows(filterRows(agentTableRows(snapshot.agents, {activity: snapshot.activity, escalated: snapshot.escalated, usage}, snapshot.takenAt), filters.agents), sort.agents),
		mailbox: sortRows(filterRows(messageTableRows(snapshot.messages), filters.mailbox), sort.mailbox),
		alerts: sortRows(filterRows(alertTableRows(snapshot.alerts), filters.alerts), sort.alerts),
	};
}
