import type {AlertRow} from '../../core/store/alerts.js';
import type {Store} from '../../core/store/store.js';
import type {ViewData} from './live-view.js';

export type {AlertRow} from '../../core/store/alerts.js';
export type {MessageRow} from '../../core/store/messages.js';

/** Everything the panes show, and when it was taken (for uptimes and ages). */
export type Snapshot = ViewData & {takenAt: number};

/** Timestamps (ms) of the events of the last `windowMs`, to seed the events-per-second sparkline. */
export function recentEventTimes(store: Store, now = Date.now(), windowMs = 60_000): number[] {
	return store.eventLog.timesSince(new Date(now - windowMs).toISOString()).reverse();
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
		tasks: [],
		cycles: [],
		version: 0,
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
