import {agentRows, buildReport, type AgentRow, type HealthReport} from '../../core/health/report.js';
import type {AlertRow} from '../../core/store/alerts.js';
import type {MessageRow} from '../../core/store/messages.js';
import type {Store} from '../../core/store/store.js';
import type {StandingCycle} from '../../core/tasks/cycles.js';
import {readTasks, type TaskLine} from './tasks.js';

export type {AlertRow} from '../../core/store/alerts.js';
export type {MessageRow} from '../../core/store/messages.js';

/** Everything the panes show, read from the store in one go. */
export interface Snapshot {
	agents: AgentRow[];
	/** Oldest first, so the newest is at the bottom. */
	messages: MessageRow[];
	alerts: AlertRow[];
	report: HealthReport;
	/** Open tasks first, a few of them, and the cycles that stand (the tasks strip). */
	tasks: TaskLine[];
	cycles: StandingCycle[];
	takenAt: number;
}

/** How many of the newest messages and alerts the panes keep. */
const recentLimit = 500;

/** Read the store. Cheap enough to run 20 times a second (indexed, bounded queries). */
export function readSnapshot(store: Store, now = Date.now()): Snapshot {
	return {
		agents: agentRows(store),
		messages: store.messages.recent(recentLimit),
		alerts: store.alerts.recent(recentLimit),
		report: buildReport(store, now),
		...readTasks(store, now),
		takenAt: now,
	};
}

/** Timestamps (ms) of the events of the last `windowMs`, to seed the events-per-second sparkline. */
export function recentEventTimes(store: Store, now = Date.now(), windowMs = 60_000): number[] {
	return store.eventLog.timesSince(new Date(now - windowMs).toISOString()).reverse();
}

/** What the panes show when the store cannot be read (it is closed while the orchestrator stops). */
export function emptySnapshot(now = Date.now()): Snapshot {
	const off = {status: 'off' as const};
	return {
		agents: [],
		messages: [],
		alerts: [],
		report: {
			status: 'healthy',
			ts: new Date(now).toISOString(),
			orchestrator: {status: 'unhealthy', reason: 'stopping', pid: null, running: false},
			agents: {status: 'healthy', total: 0, byState: {}, list: []},
			server: off,
			frontend: off,
			mailbox: {status: 'healthy', byState: {}, deadLetters: []},
			alerts: {status: 'healthy', total: 0, lastHour: 0, last: null},
		},
		tasks: [],
		cycles: [],
		takenAt: now,
	};
}
