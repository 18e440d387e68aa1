import type {CmuxEvent} from '../../core/events.js';
import {agentRows, buildReport, type AgentRow, type HealthReport, type Section} from '../../core/health/report.js';
import type {MessageRow} from '../../core/store/messages.js';
import type {Store} from '../../core/store/store.js';
import {isActivityState, seedActivity, type Activity} from './activity.js';
import type {AlertRow} from './snapshot.js';
import type {StandingCycle} from '../../core/tasks/cycles.js';
import {readTasks, type TaskLine} from './tasks.js';

/** What the panes show: kept in memory, changed by events; the store is read in full only at start. */
export interface ViewData {
	agents: readonly AgentRow[];
	activity: ReadonlyMap<string, Activity>;
	escalated: ReadonlySet<string>;
	/** Oldest first, at most `recentLimit`. */
	messages: readonly MessageRow[];
	alerts: readonly AlertRow[];
	report: HealthReport;
	/** Open tasks first, a few of them, and the cycles that stand (the tasks strip). */
	tasks: readonly TaskLine[];
	cycles: readonly StandingCycle[];
	/** Bumped on every visible change, so the UI can skip a render when nothing changed. */
	version: number;
}

/** How many of the newest messages and alerts are kept. */
export const recentLimit = 500;

const serviceEvents = /^(server|frontend|rollback|health)\./;
const agentTableEvents = new Set(['agent.registered', 'agent.unregistered', 'agent.started', 'agent.exited', 'agent.stale_removed', 'agent.zombie', 'agent.killed', 'agent.restarted', 'agent.heartbeat_missed']);

/**
 * The TUI's model of the store. Built once from bounded, indexed reads; afterwards each event is
 * applied in memory in O(1). Two kinds of event still read a few rows: an agent's lifecycle event
 * re-reads the agents table (one row per agent; the event does not carry pid, window, restarts)
 * and a server/frontend event re-reads that service's state row (primary-key lookups).
 */
export class LiveView {
	private agentList: AgentRow[] = [];
	private readonly activity = new Map<string, Activity>();
	private readonly escalated = new Set<string>();
	private messages: MessageRow[];
	private readonly byId = new Map<string, MessageRow>();
	private alerts: AlertRow[];
	private report: HealthReport;
	private version = 0;
	private agentsStale = false;
	private servicesStale = false;
	private tasks: {tasks: TaskLine[]; cycles: StandingCycle[]};
	private tasksStale = false;
	private tasksReadAt = 0;

	constructor(private readonly store: Store, now = Date.now()) {
		this.report = buildReport(store, now);
		this.agentList = this.report.agents.list;
		this.messages = store.messages.recent(recentLimit);
		for (const message of this.messages) {
			this.byId.set(message.id, message);
		}

		this.alerts = store.alerts.recent(recentLimit);
		this.tasks = readTasks(store, now);
		seedActivity(store, this.activity, this.escalated, event => this.apply(event));
	}

	/** Apply one event; true when something the panes show changed. */
	apply(event: CmuxEvent): boolean {
		const changed = this.applyEvent(event as CmuxEvent & Record<string, unknown>);
		if (changed) {
			this.version++;
		}

		return changed;
	}

	/** The current data; re-reads the few rows that events marked stale (agents table, service states). */
	data(): ViewData {
		if (this.agentsStale && this.store.open) {
			this.agentsStale = false;
			this.agentList = agentRows(this.store);
			this.report = {...this.report, agents: agentsSection(this.agentList)};
		}

		if (this.servicesStale && this.store.open) {
			this.servicesStale = false;
			const fresh = buildServiceSections(this.store);
			this.report = {...this.report, ...fresh};
		}

		// A bounded read (tasks are a work list, the strip shows a few) after a task event, and while a
		// task is open at most every 5 s: budget used grows with time and turns, which bring no task event.
		const open = this.tasks.tasks.some(task => task.state !== 'done' && task.state !== 'failed');
		if ((this.tasksStale || (open && Date.now() - this.tasksReadAt >= 5000)) && this.store.open) {
			this.tasksStale = false;
			this.tasksReadAt = Date.now();
			this.tasks = readTasks(this.store, this.tasksReadAt);
		}

		return {agents: this.agentList, activity: this.activity, escalated: this.escalated, messages: this.shownMessages, alerts: this.alerts, report: withOverall(this.report), ...this.tasks, version: this.version};
	}

	private applyEvent(event: CmuxEvent & Record<string, unknown>): boolean {
		const type = event.type as string;
		if (type === 'agent.state') {
			const agent = String(event.agent);
			if (!isActivityState(event.state)) {
				return false;
			}

			this.activity.set(agent, {state: event.state, since: event.ts, ...(typeof event.source === 'string' ? {source: event.source} : {}), ...(typeof event.previous === 'string' ? {previous: event.previous} : {}),
				...(typeof event.task === 'string' ? {task: event.task} : {}), ...(event.budget === undefined ? {} : {budget: String(event.budget)})});
			if (event.state === 'working' || event.state === 'idle' || event.state === 'done') {
				this.escalated.delete(agent);
			}

			return true;
		}

		if (type === 'agent.escalated') {
			this.escalated.add(String(event.agent));
			this.agentsStale = true;
			return true;
		}

		if (agentTableEvents.has(type)) {
			if (type === 'agent.restarted' || type === 'agent.unregistered' || type === 'agent.stale_removed') {
				this.escalated.delete(String(event.agent));
			}

			this.agentsStale = true;
			return true;
		}

		if (type.startsWith('message.')) {
			return this.applyMessage(event);
		}

		if (type === 'log.alert') {
			const sample = Array.isArray(event.sample) ? (event.sample as unknown[]).map(String).join('\n') : String(event.sample ?? '');
			const row: AlertRow = {id: event.seq ?? Date.now(), ts: event.ts, file: String(event.file), count: Number(event.count) || 0, sample, attachment: typeof event.attachment === 'string' ? event.attachment : null};
			this.alerts = keepRecent([...this.alerts, row]);
			const alerts = this.report.alerts;
			this.report = {...this.report, alerts: {...alerts, total: alerts.total + 1, lastHour: alerts.lastHour + 1, last: {ts: row.ts, file: row.file, count: row.count, sample: row.sample}}};
			return true;
		}

		if (type.startsWith('task.') || type === 'cycle.detected') {
			this.tasksStale = true;
			return true;
		}

		if (serviceEvents.test(type)) {
			this.servicesStale = true;
			return true;
		}

		return false;
	}

	private applyMessage(event: CmuxEvent & Record<string, unknown>): boolean {
		const id = String(event.id ?? '');
		const existing = this.byId.get(id);
		switch (event.type as string) {
			case 'message.received': {
				if (existing) {
					return false;
				}

				const row: MessageRow = {
					seq: event.seq ?? 0, id, ts: event.ts, from: String(event.from), to: String(event.to), subject: String(event.subject ?? ''),
					body: null, taskStatus: 'submitted', state: 'pending', attempts: 0, nextAttemptAt: 0, lastError: null, deliveredAt: null,
					maybeDuplicate: 0, sourceLine: typeof event.line === 'number' ? event.line : null, deliveryMark: null,
				};
				this.messages.push(row);
				this.byId.set(id, row);
				if (this.messages.length > recentLimit * 2) {
					// Trim in batches: one copy per `recentLimit` messages, not one per message.
					for (const old of this.messages.splice(0, this.messages.length - recentLimit)) {
						this.byId.delete(old.id);
					}
				}

				this.count('pending', 1);
				return true;
			}

			case 'message.delivered': {
				this.moveState(existing, 'delivered', event);
				return true;
			}

			case 'message.dead_letter': {
				this.moveState(existing, 'dead', event);
				return true;
			}

			case 'message.retry': {
				if (existing) {
					this.replace(existing, {attempts: Number(event.attempt) || existing.attempts + 1, lastError: typeof event.error === 'string' ? event.error : existing.lastError});
				}

				return existing !== undefined;
			}

			case 'message.status': {
				if (existing && typeof event.status === 'string') {
					this.replace(existing, {taskStatus: event.status as MessageRow['taskStatus']});
				}

				return existing !== undefined;
			}

			default: {
				return false;
			}
		}
	}

	private moveState(row: MessageRow | undefined, state: 'delivered' | 'dead', event: CmuxEvent & Record<string, unknown>): void {
		const from = row?.state ?? 'pending';
		if (row) {
			this.replace(row, {state, attempts: Number(event.attempts) || row.attempts, ...(state === 'delivered' ? {deliveredAt: event.ts, lastError: null} : {lastError: typeof event.error === 'string' ? event.error : row.lastError})});
		}

		this.count(from === 'delivering' ? 'delivering' : 'pending', -1);
		this.count(state, 1);
	}

	/** Rows are replaced, never mutated: a rendered frame keeps the rows it was drawn from. */
	private replace(row: MessageRow, change: Partial<MessageRow>): void {
		const next = {...row, ...change};
		const index = this.messages.lastIndexOf(row);
		if (index !== -1) {
			this.messages[index] = next;
		}

		this.byId.set(row.id, next);
	}

	private count(state: string, delta: number): void {
		const mailbox = this.report.mailbox;
		const byState = {...mailbox.byState, [state]: Math.max(0, (mailbox.byState[state] ?? 0) + delta)};
		const dead = byState.dead ?? 0;
		this.report = {...this.report, mailbox: {...mailbox, byState, status: dead > 0 ? 'degraded' : 'healthy', ...(dead > 0 ? {reason: `${dead} dead-lettered message(s)`} : {})}};
	}

	/** The messages as shown (the newest `recentLimit`). */
	get shownMessages(): readonly MessageRow[] {
		return this.messages.length > recentLimit ? this.messages.slice(-recentLimit) : this.messages;
	}
}

function keepRecent<T>(rows: T[]): T[] {
	return rows.length > recentLimit ? rows.slice(-recentLimit) : rows;
}

const rank: Record<string, number> = {off: 0, healthy: 0, degraded: 1, unhealthy: 2};

/** The overall status: the worst of the sections (as buildReport computes it). */
function withOverall(report: HealthReport): HealthReport {
	const worst = [report.orchestrator, report.agents, report.server, report.frontend, report.mailbox]
		.reduce((status, section) => (rank[section.status] ?? 0) > (rank[status] ?? 0) ? section.status : status, 'healthy' as string);
	return worst === report.status ? report : {...report, status: worst === 'off' ? 'healthy' : worst as HealthReport['status']};
}

const troubledAgentStates = new Set(['failed', 'zombie', 'exited', 'missing']);

function agentsSection(list: AgentRow[]): HealthReport['agents'] {
	const byState: Record<string, number> = {};
	for (const agent of list) {
		byState[agent.state] = (byState[agent.state] ?? 0) + 1;
	}

	const troubled = list.filter(agent => troubledAgentStates.has(agent.state));
	return {status: troubled.length > 0 ? 'degraded' : 'healthy', ...(troubled.length > 0 ? {reason: troubled.map(agent => `${agent.name} is ${agent.state}`).join(', ')} : {}), total: list.length, byState, list};
}

function buildServiceSections(store: Store): {server: Section; frontend: Section} {
	const section = (name: string): Section => {
		const state = store.serviceState(name);
		if (!state) {
			return {status: 'off'};
		}

		const reason = typeof state.detail.reason === 'string' ? state.detail.reason : undefined;
		return {...state.detail, status: state.status, ...(reason ? {reason} : {}), updatedAt: state.updatedAt};
	};

	return {server: section('server'), frontend: section('frontend')};
}
