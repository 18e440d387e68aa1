import type {CmuxEvent} from '../../core/events.js';
import type {Store} from '../../core/store/store.js';
import {activityRows} from '../../core/supervision/activity-store.js';
import type {Tone} from './rows.js';

/** SPEC "Agent activity states", as the supervision engine reports them in `agent.state`. */
export const activityStates = ['waiting_approval', 'waiting_input', 'stalled', 'limited', 'error', 'working', 'starting', 'idle', 'done', 'exited'] as const;
export type ActivityState = typeof activityStates[number];

/** An agent's activity: the state, what set it, since when (ISO). */
export interface Activity {
	state: ActivityState;
	source?: string;
	since: string;
	previous?: string;
	/** What the supervision engine adds when it knows them. */
	task?: string;
	budget?: string;
}

/** How each state shows: a symbol that reads without colour, a short label, a tone, and its sort rank. */
interface Look {
	symbol: string;
	label: string;
	tone: Tone;
	/** Lower first: states that need a person lead the list. */
	rank: number;
}

const looks: Record<ActivityState, Look> = {
	waiting_approval: {symbol: '⚑', label: 'approve?', tone: 'bad', rank: 0},
	waiting_input: {symbol: '?', label: 'input?', tone: 'bad', rank: 1},
	stalled: {symbol: '⧗', label: 'stalled', tone: 'warn', rank: 2},
	limited: {symbol: '⊘', label: 'limited', tone: 'warn', rank: 3},
	error: {symbol: '✗', label: 'error', tone: 'bad', rank: 4},
	working: {symbol: '●', label: 'working', tone: 'good', rank: 6},
	starting: {symbol: '◌', label: 'starting', tone: 'warn', rank: 7},
	idle: {symbol: '○', label: 'idle', tone: 'dim', rank: 8},
	done: {symbol: '✓', label: 'done', tone: 'good', rank: 9},
	exited: {symbol: '■', label: 'exited', tone: 'dim', rank: 10},
};

/** Rank of an escalated agent that has no waiting state: right after those waiting for a person. */
const escalatedRank = 5;

export function isActivityState(value: unknown): value is ActivityState {
	return typeof value === 'string' && value in looks;
}

export function activityLook(state: ActivityState): Look {
	return looks[state];
}

/** The cell text: symbol and label (`⚑ approve?`), readable without colour. */
export function activityCell(activity: Activity | undefined, escalated: boolean): string {
	if (!activity) {
		return escalated ? '‼ escalated' : '-';
	}

	const look = looks[activity.state];
	return `${escalated && look.rank > escalatedRank ? '‼' : look.symbol} ${look.label}`;
}

/** Sort rank: waiting for approval or input, stalled, escalated first. */
export function attentionRank(activity: Activity | undefined, escalated: boolean): number {
	const rank = activity ? looks[activity.state].rank : 11;
	return escalated ? Math.min(rank, escalatedRank) : rank;
}

/** Whether an agent waits for a person (the header counts these as "need you"). */
export function needsPerson(activity: Activity | undefined, escalated: boolean): boolean {
	return attentionRank(activity, escalated) <= escalatedRank;
}

/** `⚑2 ?1 ●3 ○1`: counts by state in rank order, only states that occur. */
export function stateCounts(activities: Iterable<Activity | undefined>): Array<{state: ActivityState; symbol: string; count: number; tone: Tone}> {
	const counts = new Map<ActivityState, number>();
	for (const activity of activities) {
		if (activity) {
			counts.set(activity.state, (counts.get(activity.state) ?? 0) + 1);
		}
	}

	return activityStates.filter(state => counts.has(state)).map(state => ({state, symbol: looks[state].symbol, count: counts.get(state)!, tone: looks[state].tone}));
}

/** How many of the newest state events and escalations a new view replays over the stored activity. */
const replayedStates = 200;

/**
 * A new view's activity: each agent's stored row (one per agent), then the newest state events
 * through `apply` for what a row does not keep (the previous state, a task), and the escalations
 * not cleared since by a working, idle or done. Reads that stay the same size however many events
 * the store holds.
 */
export function seedActivity(store: Store, activity: Map<string, Activity>, escalated: Set<string>, apply: (event: CmuxEvent) => void): void {
	for (const row of activityRows(store)) {
		activity.set(row.agent, {state: row.state, source: row.source, since: row.since});
	}

	for (const event of store.events({types: ['agent.state'], limit: replayedStates})) {
		apply(event);
	}

	for (const event of store.events({types: ['agent.escalated'], limit: replayedStates})) {
		const agent = String((event as {agent?: unknown}).agent);
		const current = activity.get(agent);
		if (!current || !['working', 'idle', 'done'].includes(current.state) || current.since < event.ts) {
			escalated.add(agent);
		}
	}
}
