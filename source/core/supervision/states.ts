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

/** States after which output means the agent took up work again. */
export const restingStates: ReadonlySet<ActivityState> = new Set(['idle', 'done', 'waiting_input', 'starting', 'stalled']);
