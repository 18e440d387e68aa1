import type {Store} from '../store/store.js';
import {actionsSince, activityRows} from './activity-store.js';

/** One thing `recover list` shows: what, why, since when. */
export interface RecoverEntry {
	kind: 'agent' | 'escalated' | 'zombie' | 'dead-letter';
	name: string;
	why: string;
	since: string;
	state?: string;
}

const troubled: Record<string, string> = {
	stalled: 'working but silent (no output, hook or heartbeat)',
	waiting_approval: 'waits for a tool call to be approved (recover approve|deny)',
	waiting_input: 'asked a question and waits for an answer',
	limited: 'hit a rate or usage limit',
	error: 'authentication or API failure',
	exited: 'its program exited',
};

/** Stalled, waiting, limited, failed and exited agents, escalations of the last hour, zombies and dead letters. */
export function recoverList(store: Store, now = Date.now()): RecoverEntry[] {
	const entries: RecoverEntry[] = [];
	for (const row of activityRows(store)) {
		const why = troubled[row.state];
		if (why) {
			entries.push({kind: 'agent', name: row.agent, state: row.state, why: `${row.state}: ${why} (${row.source})`, since: row.since});
		}
	}

	const seen = new Set<string>();
	for (const action of actionsSince(store, new Date(now - 3_600_000).toISOString(), {actions: ['escalate'], limit: 100})) {
		const reason = String(action.detail.reason ?? 'escalated');
		if (!seen.has(`${action.agent}:${reason}`)) {
			seen.add(`${action.agent}:${reason}`);
			entries.push({kind: 'escalated', name: action.agent, why: reason, since: action.ts});
		}
	}

	for (const [name, row] of store.agents.states()) {
		if (row.state === 'zombie') {
			entries.push({kind: 'zombie', name, why: 'its pane is dead but processes remain (recover kill-zombie)', since: ''});
		}
	}

	for (const message of store.messages.deadLetters(20)) {
		entries.push({kind: 'dead-letter', name: message.id, why: `to ${message.to}: ${message.subject} (${message.lastError ?? 'undeliverable'})`, since: message.ts});
	}

	return entries;
}
