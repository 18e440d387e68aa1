import type {AgentRow} from '../../core/health/report.js';
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

export function agentTableRows(agents: readonly AgentRow[], now: number): Array<TableRow<AgentRow>> {
	return agents.map(agent => ({
		key: agent.name,
		item: agent,
		stateTone: stateTone(agent.state),
		cells: [
			agent.name,
			agent.type,
			agent.state,
			agent.pid === null ? '-' : String(agent.pid),
			agent.startedAt && liveStates.has(agent.state) ? shortDuration(now - Date.parse(agent.startedAt)) : '-',
			String(agent.restarts),
			ago(agent.lastActivity ?? agent.lastBeat, now),
		],
	}));
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

export function paneRows(snapshot: Snapshot, filters: {agents: string; mailbox: string; alerts: string}): PaneRows {
	return {
		agents: filterRows(agentTableRows(snapshot.agents, snapshot.takenAt), filters.agents),
		mailbox: filterRows(messageTableRows(snapshot.messages), filters.mailbox),
		alerts: filterRows(alertTableRows(snapshot.alerts), filters.alerts),
	};
}
