import type Database from 'better-sqlite3';
import type {CmuxEvent, EventInput} from '../events.js';
import {AgentTable} from './agents.js';
import {AlertWindowTable} from './alert-windows.js';
import {AlertTable} from './alerts.js';
import {CounterTable} from './counters.js';
import {integrityCheck, openDatabase} from './database.js';
import {EventTable, type EventQuery} from './events.js';
import {HeartbeatTable} from './heartbeats.js';
import {MessageTable} from './messages.js';
import {OffsetTable} from './offsets.js';
import {RetentionTable} from './retention.js';
import {ServiceStateTable, type ServiceState, type Status} from './services.js';
import {Statements} from './statements.js';
import {SupervisionTable} from './supervision.js';
import {TaskTable} from './tasks.js';
import type {CorruptRow} from './rows.js';
import {nullLogger, type Logger} from '../logger.js';

export type {ServiceState, Status} from './services.js';

/**
 * `.cmux/cmux.db`: the single source the TUI, `status`, `/health` and `/metrics` read. All SQL
 * lives in this folder: one class per table group (`events.ts`, `messages.ts`, …), each preparing
 * its statements once when the store opens and exposing named, typed methods. A feature that needs
 * a new table adds a migration, a `<group>.ts` class here and a field below; nothing outside
 * `source/core/store/` calls `prepare`.
 */
export class Store {
	/** The connection, for the store's own modules and for tests; features use the tables below. */
	readonly db: Database.Database;
	readonly eventLog: EventTable;
	readonly messages: MessageTable;
	readonly offsets: OffsetTable;
	readonly agents: AgentTable;
	readonly heartbeats: HeartbeatTable;
	readonly alerts: AlertTable;
	readonly alertWindows: AlertWindowTable;
	readonly services: ServiceStateTable;
	readonly counters: CounterTable;
	readonly retention: RetentionTable;
	readonly supervision: SupervisionTable;
	readonly tasks: TaskTable;
	private readonly statements: Statements;
	/** Hears the rows skipped on read because their JSON is corrupt (the orchestrator sets its log). */
	log: Logger = nullLogger;

	private constructor(db: Database.Database) {
		this.db = db;
		const statements = new Statements(db);
		this.statements = statements;
		const corrupt: CorruptRow = error => {
			this.log.log('warn', `skipped a corrupt row: ${error.message}`);
		};
		this.eventLog = new EventTable(statements, corrupt);
		this.offsets = new OffsetTable(statements);
		this.messages = new MessageTable(statements, this.offsets);
		this.agents = new AgentTable(statements);
		this.heartbeats = new HeartbeatTable(statements);
		this.alerts = new AlertTable(statements);
		this.alertWindows = new AlertWindowTable(statements, corrupt);
		this.services = new ServiceStateTable(statements, corrupt);
		this.counters = new CounterTable(statements);
		this.retention = new RetentionTable(statements, this.counters);
		this.supervision = new SupervisionTable(statements);
		this.tasks = new TaskTable(statements);
	}

	/** Open (creating and migrating when needed) the database at `file`; `:memory:` works for tests. */
	static open(file: string): Store {
		return new Store(openDatabase(file));
	}

	/** Whether the connection is still open (it closes while the orchestrator stops). */
	get open(): boolean {
		return this.db.open;
	}

	/** Run `action` in one transaction (immediate: it takes the write lock first). */
	transaction<T>(action: () => T): T {
		return this.db.transaction(action).immediate();
	}

	/** The SQL of every statement behind a report (for the query-plan test). */
	reportQueries(): readonly string[] {
		return this.statements.reportSql;
	}

	/** Persist an event made outside the orchestrator (one-shot commands), stamping it now. */
	recordEvent(event: EventInput): number {
		return this.insertEvent({...event, ts: event.ts ?? new Date().toISOString()} as CmuxEvent);
	}

	/** Persist an event; returns its id. */
	insertEvent(event: CmuxEvent): number {
		return this.eventLog.insert(event);
	}

	/** The newest events, oldest first; `afterSeq` returns only newer ones. */
	events(query: EventQuery = {}): Array<CmuxEvent & {seq: number}> {
		return this.eventLog.recent(query);
	}

	/** Record what a service reports about itself (`server`, `frontend`, `orchestrator`, …). */
	setServiceState(name: string, status: Status, detail: Record<string, unknown> = {}): void {
		this.services.set(name, status, detail);
	}

	serviceState(name: string): ServiceState | undefined {
		return this.services.get(name);
	}

	/** `PRAGMA integrity_check`: `ok`, or the problems SQLite found. */
	integrityCheck(): string {
		return integrityCheck(this.db);
	}

	close(): void {
		if (this.db.open) {
			this.db.close();
		}
	}
}
