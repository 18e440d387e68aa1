import type {AgentConfig} from '../config/schema.js';
import type {RegistryEntry} from '../registry/entry.js';
import type {AgentState} from './table.js';

/** What the agents service knows about one agent (configured, spawned or registered by a script). */
export interface AgentRecord {
	name: string;
	type: string;
	config?: AgentConfig;
	command?: string;
	state: AgentState;
	windowId?: string;
	paneId?: string;
	target?: string;
	pid?: number;
	cookie?: string;
	startedAt?: string;
	restarts: number;
	/** When each automatic restart happened (ms), for crash-loop detection. */
	restartTimes: number[];
	restartTimer?: NodeJS.Timeout;
	/** A kill or start is in progress: reconciliation leaves the agent alone. */
	busy: boolean;
	/** Stopped or failed on purpose: not started again until asked. */
	held: boolean;
	/** CMUX's `permanent: true`: its entry is never removed as stale; a missing window is reported. */
	permanent?: boolean;
	/** A session id the next start resumes (set by `recover restart --resume`, used once). */
	resume?: string;
}

export function recordFromConfig(config: AgentConfig): AgentRecord {
	return {name: config.name, type: config.type, config, command: config.command, state: 'missing', restarts: 0, restartTimes: [], busy: false, held: false};
}

export function recordFromEntry(entry: RegistryEntry): AgentRecord {
	return {
		name: entry.name, type: entry.type, state: 'missing', restarts: 0, restartTimes: [], busy: false, held: false,
		...(entry.command ? {command: entry.command} : {}),
		...(entry.cookie ? {cookie: entry.cookie} : {}),
		...(entry.pid === undefined ? {} : {pid: entry.pid}),
		...(entry.window_id ? {windowId: entry.window_id} : {}),
		...(entry.permanent === true ? {permanent: true} : {}),
	};
}

/** States in which the agent's process is believed to be running. */
export function isLive(state: AgentState): boolean {
	return state === 'running' || state === 'idle' || state === 'busy' || state === 'starting';
}
