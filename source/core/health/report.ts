import {ingestStall} from '../mailbox/ingest-health.js';
import {isAlive} from '../process/table.js';
import type {AgentRow as StoreAgentRow} from '../store/agents.js';
import type {Status, Store} from '../store/store.js';
import type {UserMessage} from '../store/messages.js';

/** An agent's row with what it is doing (supervision's activity state, null before anything is known). */
export type AgentRow = StoreAgentRow & {activity: {state: string; source: string; since: string} | null};

export interface Section {
	status: Status;
	reason?: string;
	[key: string]: unknown;
}

/** What `/health`, `status --json`, `/metrics` and the TUI's health pane all show. */
export interface HealthReport {
	status: Exclude<Status, 'off'>;
	ts: string;
	orchestrator: Section & {pid: number | null; running: boolean};
	agents: Section & {total: number; byState: Record<string, number>; list: AgentRow[]};
	server: Section;
	frontend: Section;
	mailbox: Section & {byState: Record<string, number>; deadLetters: DeadLetter[]; toUser: UserMessage[]; statusUpdates: StatusUpdate[]};
	alerts: Section & {total: number; lastHour: number; last: {ts: string; file: string; count: number; sample: string} | null};
}

/** A message the mailbox gave up on (newest first in the report, at most 20). */
export interface DeadLetter {
	id: string;
	ts: string;
	from: string;
	to: string;
	subject: string;
	attempts: number;
	lastError: string | null;
}

/** A task status change (`message.status`, newest first, at most 10). */
export interface StatusUpdate {
	ts: string;
	id: string;
	status: string;
	previous?: string;
}

const rank: Record<Status, number> = {off: 0, healthy: 0, degraded: 1, unhealthy: 2};
/** Agent states that make the agents section degraded. */
const troubledAgentStates = new Set(['failed', 'zombie', 'exited', 'missing']);

/**
 * Build the health report from the store alone, so every reader agrees. Every read is indexed and
 * bounded (totals come from the store's counters), so its cost does not grow with history.
 */
export function buildReport(store: Store, now = Date.now()): HealthReport {
	const orchestrator = orchestratorSection(store);
	const agents = agentsSection(store);
	const server = serviceSection(store, 'server');
	const frontend = serviceSection(store, 'frontend');
	const mailbox = mailboxSection(store);
	const alerts = alertsSection(store, now);
	const worst = [orchestrator, agents, server, frontend, mailbox].reduce((status, section) => rank[section.status] > rank[status] ? section.status : status, 'healthy' as Status);
	return {status: worst === 'off' ? 'healthy' : worst, ts: new Date(now).toISOString(), orchestrator, agents, server, frontend, mailbox, alerts};
}

/** The agents table joined with heartbeats, by name. */
export function agentRows(store: Store): AgentRow[] {
	const activity = new Map(store.supervision.activity().map(row => [row.agent, {state: row.state, source: row.source, since: row.since}]));
	return store.agents.list().map(row => ({...row, activity: activity.get(row.name) ?? null}));
}

function orchestratorSection(store: Store): HealthReport['orchestrator'] {
	const state = store.serviceState('orchestrator');
	const pid = typeof state?.detail.pid === 'number' ? state.detail.pid : null;
	const running = pid !== null && state?.status !== 'off' && (pid === process.pid || isAlive(pid));
	return running
		? {status: 'healthy', pid, running}
		: {status: 'unhealthy', reason: 'the orchestrator is not running (start it with `cmux-tui run`)', pid, running};
}

function agentsSection(store: Store): HealthReport['agents'] {
	const list = agentRows(store);
	const byState: Record<string, number> = {};
	for (const agent of list) {
		byState[agent.state] = (byState[agent.state] ?? 0) + 1;
	}

	const troubled = list.filter(agent => troubledAgentStates.has(agent.state));
	return {
		status: troubled.length > 0 ? 'degraded' : 'healthy',
		...(troubled.length > 0 ? {reason: troubled.map(agent => `${agent.name} is ${agent.state}`).join(', ')} : {}),
		total: list.length,
		byState,
		list,
	};
}

function serviceSection(store: Store, name: string): Section {
	const state = store.serviceState(name);
	if (!state) {
		return {status: 'off'};
	}

	const reason = typeof state.detail.reason === 'string' ? state.detail.reason : undefined;
	return {...state.detail, status: state.status, ...(reason ? {reason} : {}), updatedAt: state.updatedAt};
}

function mailboxSection(store: Store): HealthReport['mailbox'] {
	const byState: Record<string, number> = {pending: 0, delivering: 0, delivered: 0, dead: 0};
	for (const counter of store.counters.group('messages')) {
		byState[counter.key] = counter.stored;
	}

	const dead = byState.dead ?? 0;
	const deadLetters = store.messages.deadLetters(20).map(({id, ts, from, to, subject, attempts, lastError}) => ({id, ts, from, to, subject, attempts, lastError}));
	const toUser = store.messages.toUser(10);
	const statusUpdates = store.events({types: ['message.status'], limit: 10}).reverse()
		.map(event => {
			const data = event as unknown as {ts: string; id: string; status: string; previous?: string};
			return {ts: data.ts, id: data.id, status: data.status, ...(data.previous ? {previous: data.previous} : {})};
		});
	const stall = ingestStall(store);
	const reasons = [...(stall ? [stall.reason.startsWith('mailbox ingest') ? stall.reason : `mailbox ingest stalled: ${stall.reason}`] : []), ...(dead > 0 ? [`${dead} dead-lettered message(s)`] : [])];
	return {status: reasons.length > 0 ? 'degraded' : 'healthy', ...(reasons.length > 0 ? {reason: reasons.join('; ')} : {}), byState, deadLetters, toUser, statusUpdates, ...(stall ? {ingestStalledSince: stall.since} : {})};
}

function alertsSection(store: Store, now: number): HealthReport['alerts'] {
	// Every alert ever raised (a counter: pruning old rows does not lower it).
	const total = store.counters.group('alerts')[0]?.total ?? 0;
	const lastHour = store.alerts.countSince(new Date(now - 3_600_000).toISOString());
	const last = store.alerts.last();
	return {status: 'healthy', total, lastHour, last: last ?? null};
}
