import type Database from 'better-sqlite3';
import {parseServiceStateRow, type CorruptRow} from './rows.js';
import type {Statements} from './statements.js';

/** Health of one part of the system, as every report shows it. */
export type Status = 'healthy' | 'degraded' | 'unhealthy' | 'off';

export interface ServiceState {
	name: string;
	status: Status;
	detail: Record<string, unknown>;
	updatedAt: string;
}

/** `service_state`: what each service (`server`, `frontend`, `orchestrator`, …) reports about itself. */
export class ServiceStateTable {
	private readonly setStatement: Database.Statement;
	private readonly getStatement: Database.Statement;

	constructor(statements: Statements, private readonly corrupt: CorruptRow = () => {}) {
		this.setStatement = statements.prepare(`INSERT INTO service_state (name, status, detail, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET status = excluded.status, detail = excluded.detail, updated_at = excluded.updated_at`);
		this.getStatement = statements.report('SELECT name, status, detail, updated_at AS updatedAt FROM service_state WHERE name = ?');
	}

	set(name: string, status: Status, detail: Record<string, unknown> = {}): void {
		this.setStatement.run(name, status, JSON.stringify(detail), new Date().toISOString());
	}

	get(name: string): ServiceState | undefined {
		const row = this.getStatement.get(name) as ({detail: string} & Omit<ServiceState, 'detail'>) | undefined;
		if (!row) {
			return undefined;
		}

		const parsed = parseServiceStateRow(row);
		if (!parsed.ok) {
			// As if nothing was reported: the service writes a fresh row on its next change.
			this.corrupt(parsed.error);
			return undefined;
		}

		return parsed.value;
	}
}
