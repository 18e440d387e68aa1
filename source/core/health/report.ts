import {deadLetterRows} from '../mailbox/message-store.js';
import {isAlive} from '../process/table.js';
import type {Status, Store} from '../store/store.js';

export interface AgentRow {
	name: string;
	type: string;
	state: string;
	window: string | null;
	pid: number | null;
	startedAt: string | null;
	restarts: number;
	lastActivity: string | null;
	lastBeat: string | null;
	/** What the agent is doing (supervision), or null before anything is known. */
	activity: {state: string; source: string; since: string} | null;
}

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
	mailbox: Section & {byState: Record<string, number>; deadLetters: DeadLetter[]};
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

const rank: Record<Status, number> = {off: 0, healthy: 0, degraded: 1, unhealthy: 2};
/** Agent states that make the agents section degraded. */
const troubledAgentStates = new Set(['failed', 'zombie', 'exited', 'missing']);

/** Build the health report from the store alone, so every reader agrees. */
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
	const rows = store.db.prepare(`SELECT a.name, a.type, a.state, a.window, a.pid, a.started_at AS startedAt, a.restarts,
		a.last_activity AS lastActivity, h.ts AS lastBeat, s.state AS activityState, s.source AS activitySource, s.since AS activitySince
		FROM agents a LEFT JOIN heartbeats h ON h.agent = a.name LEFT JOIN agent_activity s ON s.agent = a.name ORDER BY a.name`).all() as
		Array<Omit<AgentRow, 'activity'> & {activityState: string | null; activitySource: string | null; activitySince: string | null}>;
	return rows.map(({activityState, activitySource, activitySince, ...row}) => ({
		...row, activity: activityState && activitySource && activitySince ? {state: activityState, source: activitySource, since: activitySince} : null,
	}));
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
	for (const row of store.db.prepare('SELECT state, count(*) AS n FROM messages GROUP BY state').all() as Array<{state: string; n: number}>) {
		byState[row.state] = row.n;
	}

	const dead = byState.dead ?? 0;
	const deadLetters = deadLetterRows(store.db, 20).map(({id, ts, from, to, subject, attempts, lastError}) => ({id, ts, from, to, subject, attempts, lastError}));
	return {status: dead > 0 ? 'degraded' : 'healthy', ...(dead > 0 ? {reason: `${dead} dead-lettered message(s)`} : {}), byState, deadLetters};
}

function alertsSection(store: Store, now: number): HealthReport['alerts'] {
	const {total} = store.db.prepare('SELECT count(*) AS total FROM alerts').get() as {total: number};
	const {lastHour} = store.db.prepare('SELECT count(*) AS lastHour FROM alerts WHERE ts >= ?').get(new Date(now - 3_600_000).toISOString()) as {lastHour: number};
	const last = store.db.prepare('SELECT ts, file, count, sample FROM alerts ORDER BY id DESC LIMIT 1').get() as HealthReport['alerts']['last'] | undefined;
	return {status: 'healthy', total, lastHour, last: last ?? null};
}
