import type {Config} from '../config/schema.js';
import {StateError} from '../errors.js';
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

/** The `beat` command: a heartbeat for a known agent; an unknown one is refused. */
export function beatAgent(store: Store, config: Config, agent: string): {agent: string; ts: string} {
	if (!isKnownAgent(store, config, agent)) {
		throw new StateError(`unknown agent ${agent} (not in the config and never registered)`);
	}

	const ts = new Date().toISOString();
	recordBeat(store, agent, ts);
	return {agent, ts};
}
