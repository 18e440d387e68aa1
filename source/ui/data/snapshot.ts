import {agentRows, buildReport, type AgentRow, type HealthReport} from '../../core/health/report.js';
import {recentMessages, type MessageRow} from '../../core/mailbox/message-store.js';
import type {Store} from '../../core/store/store.js';

export type {MessageRow} from '../../core/mailbox/message-store.js';

export interface AlertRow {
	id: number;
	ts: string;
	file: string;
	count: number;
	sample: string;
	attachment: string | null;
}

/** Everything the panes show, read from the store in one go. */
export interface Snapshot {
	agents: AgentRow[];
	/** Oldest first, so the newest is at the bottom. */
	messages: MessageRow[];
	alerts: AlertRow[];
	report: HealthReport;
	takenAt: number;
}

/** How many of the newest messages and alerts the panes keep. */
const recentLimit = 500;

/** Read the store. Cheap enough to run 20 times a second (indexed, bounded queries). */
export function readSnapshot(store: Store, now = Date.now()): Snapshot {
	const alerts = store.db.prepare('SELECT id, ts, file, count, sample, attachment FROM alerts ORDER BY id DESC LIMIT ?').all(recentLimit) as AlertRow[];
	return {
		agents: agentRows(store),
		messages: recentMessages(store.db, recentLimit),
		alerts: alerts.reverse(),
		report: buildReport(store, now),
		takenAt: now,
	};
}

/** Timestamps (ms) of the events of the last `windowMs`, to seed the events-per-second sparkline. */
export function recentEventTimes(store: Store, now = Date.now(), windowMs = 60_000): number[] {
	const since = new Date(now - windowMs).toISOString();
	// Bounded by id (the primary key), so a huge events table is never scanned.
	const rows = store.db.prepare('SELECT ts FROM (SELECT ts FROM events ORDER BY id DESC LIMIT 50000) WHERE ts >= ?').all(since) as Array<{ts: string}>;
	return rows.map(row => Date.parse(row.ts));
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
			mailbox: {status: 'healthy', byState: {}, deadLetters: [], toUser: [], statusUpdates: []},
			alerts: {status: 'healthy', total: 0, lastHour: 0, last: null},
		},
		takenAt: now,
	};
}
