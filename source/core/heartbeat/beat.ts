import type {Config} from '../config/schema.js';
import type {Store} from '../store/store.js';

/** An agent is known when it is configured or present in the agents table. */
export function isKnownAgent(store: Store, config: Config, name: string): boolean {
	return config.agents.some(agent => agent.name === name)
		|| store.agents.has(name);
}

/** Record a heartbeat for `agent` now. */
export function recordBeat(store: Store, agent: string, ts = new Date().toISOString()): void {
	store.heartbeats.beat(agent, ts);
}
