import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** `heartbeats`: the last beat of each agent (its row's activity moves with it). */
export class HeartbeatTable {
	private readonly record: (agent: string, ts: string) => void;

	constructor(statements: Statements) {
		const beat = statements.prepare('INSERT INTO heartbeats (agent, ts) VALUES (?, ?) ON CONFLICT(agent) DO UPDATE SET ts = excluded.ts');
		const activity: Database.Statement = statements.prepare('UPDATE agents SET last_activity = ? WHERE name = ?');
		this.record = statements.db.transaction((agent: string, ts: string) => {
			beat.run(agent, ts);
			activity.run(ts, agent);
		});
	}

	/** Record a heartbeat of `agent` at `ts` (ISO). */
	beat(agent: string, ts: string): void {
		this.record(agent, ts);
	}
}
