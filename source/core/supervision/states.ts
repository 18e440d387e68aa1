/** What an agent is doing, as SPEC.md names it. */
export const activityStates = ['starting', 'working', 'waiting_approval', 'waiting_input', 'idle', 'done', 'stalled', 'limited', 'error', 'exited'] as const;
export type ActivityState = typeof activityStates[number];

/** Which signal set a state. */
export const signalSources = ['hook', 'output', 'pattern', 'heartbeat', 'process'] as const;
export type SignalSource = typeof signalSources[number];

/** An agent's current activity: the state, who set it and since when (epoch ms). */
export interface Activity {
	state: ActivityState;
	source: SignalSource;
	since: number;
	/** What the signal said (hook event, matched pattern, session id…), kept for `recover list`. */
	detail?: Record<string, unknown>;
}

/**
 * When signals disagree the higher rank wins: exited > error/limited > waiting_approval > working > idle.
 * States outside the ladder (waiting_input, done, stalled, starting) rank with idle or working.
 */
export const stateRank: Record<ActivityState, number> = {
	exited: 5,
	error: 4,
	limited: 4,
	waiting_approval: 3,
	waiting_input: 2,
	working: 2,
	stalled: 2,
	starting: 1,
	idle: 1,
	done: 1,
};

/** States in which the agent waits for a person (or the supervisor). */
export const waitingStates: ReadonlySet<ActivityState> = new Set(['waiting_approval', 'waiting_input']);

/** States after which output means the agent took up work again. */
export const restingStates: ReadonlySet<ActivityState> = new Set(['idle', 'done', 'waiting_input', 'starting', 'stalled']);
