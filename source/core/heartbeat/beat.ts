import type {Config} from '../config/schema.js';
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
