import type {Config} from '../config/schema.js';
import {StateError} from '../errors.js';
import type {Store} from '../store/store.js';

/** An agent is known when it is configured or present in the agents table. */
export function isKnownAgent(store: Store, config: Config, name: string): boolean {
	return config.agents.some(agent => agent.name === name)
		|| store.db.prepare('SELECT 1 FROM agents WHERE name = ?').get(name) !== undefined;
}

/** Record a heartbeat for `agent` now. */
export function recordBeat(store: Store, agent: string, ts = new Date().toISOString()): void {
	store.db.prepare('INSERT INTO heartbeats (agent, ts) VALUES (?, ?) ON CONFLICT(agent) DO UPDATE SET ts = excluded.ts').run(agent, ts);
	store.db.prepare('UPDATE agents SET last_activity = ? WHERE name = ?').run(ts, agent);
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
