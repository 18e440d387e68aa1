import type {Store} from '../../core/store/store.js';
import type {ViewData} from './live-view.js';

export type {MessageRow} from '../../core/mailbox/message-store.js';

export interface AlertRow {
	id: number;
	ts: string;
	file: string;
	count: number;
	sample: string;
	attachment: string | null;
}

/** Everything the panes show, and when it was taken (for uptimes and ages). */
export type Snapshot = ViewData & {takenAt: number};

/** The newest `limit` alerts, oldest first (bounded by the primary key). */
export function readAlerts(store: Store, limit: number): AlertRow[] {
	const alerts = store.db.prepare('SELECT id, ts, file, count, sample, attachment FROM alerts ORDER BY id DESC LIMIT ?').all(limit) as AlertRow[];
	return alerts.reverse();
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
		activity: new Map(),
		escalated: new Set(),
		messages: [],
		alerts: [],
		version: 0,
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
		takenAt: now,
	};
}
