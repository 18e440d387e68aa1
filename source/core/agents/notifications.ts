import type {ServiceContext} from '../orchestrator.js';
import type {TmuxNotification} from '../tmux/control-parser.js';
import type {AgentRecord} from './record.js';

/** A window was closed: handled on the fast path, for its agent alone (no full reconciliation). */
export const closingNotifications = new Set(['window-close', 'unlinked-window-close']);
/** Notifications after which the set of windows or panes may differ. */
export const structuralNotifications = new Set(['window-add', 'unlinked-window-add', 'window-renamed', 'unlinked-window-renamed', 'sessions-changed', 'session-changed', 'exit']);
export const deadSubscription = 'cmux-dead';
export const activitySubscription = 'cmux-activity';

/** An activity subscription change: the last activity of the agent in that window goes to its row. */
export function noteActivity(context: ServiceContext, records: Iterable<AgentRecord>, notification: TmuxNotification): void {
	const windowId = notification.args.find(argument => argument.startsWith('@'));
	const seconds = Number(notification.raw.slice(notification.raw.lastIndexOf(' : ') + 3));
	for (const record of records) {
		if (record.windowId === windowId && Number.isFinite(seconds) && seconds > 0) {
			context.store.agents.touch(record.name, new Date(seconds * 1000).toISOString());
		}
	}
}
