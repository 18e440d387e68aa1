import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {ServiceContext} from '../orchestrator.js';
import {activityRows} from '../supervision/activity-store.js';
import type {TaskContext} from './book.js';
import {tellSupervisor} from './completion.js';
import {headCommit, workingTree} from './evidence.js';
import {cyclesOf, type WaitEdge} from './graph.js';

/** Activity states that count as "idle or waiting" for a deadlock. */
const resting = new Set(['idle', 'waiting_input', 'done', 'stalled']);
const open = new Set(['backlog', 'assigned', 'in_progress', 'review', 'blocked']);
const bare = (address: string) => address.replace(/^[\w.-]+:/, '');

/** A cycle that stands now (shown by the TUI's banner through the `tasks` service state). */
export interface StandingCycle {
	kind: 'deadlock' | 'livelock';
	agents: string[];
	tasks: string[];
	since: string;
}

/**
 * The wait-for graph: task dependencies, tasks blocked on another agent or task, and requests
 * waiting for a reply (a message between two agents that no later message answers). On every
 * change its strongly connected components are computed; a cycle whose agents have all rested for
 * `tasks.deadlockAfter` with no traffic between them is a deadlock. Many messages between the same
 * two agents in `livelockWindow` with no file change is a livelock. Each is reported once while it stands.
 */
export class CycleWatch {
	private readonly lastTraffic = new Map<string, number>();
	private readonly reported = new Map<string, StandingCycle>();
	private readonly pairs = new Map<string, {times: number[]; fingerprint?: Promise<string>}>();
	/** A wake-up at the moment the next resting cycle becomes due (the 1 s housekeeping alone could be a second late). */
	private wake?: {at: number; timer: NodeJS.Timeout};
	private stopped = false;

	constructor(private readonly tasks: TaskContext, private readonly context: ServiceContext) {}

	/** The wait-for edges as the store says now. */
	edges(): WaitEdge[] {
		const {store} = this.tasks;
		// The agents read once: up to 500 messages below would otherwise ask the store twice each.
		const names = new Set([...this.tasks.config.agents.map(agent => agent.name), ...store.agents.states().keys()]);
		const isAgent = (name: string) => names.has(name);
		const all = store.tasks.list();
		const byId = new Map(all.map(task => [task.id, task]));
		const edges: WaitEdge[] = [];
		for (const task of all) {
			if (!task.agent || !open.has(task.state)) {
				continue;
			}

			for (const id of task.depends) {
				const other = byId.get(id);
				if (other?.agent && other.state !== 'done') {
					edges.push({from: task.agent, to: other.agent, task: task.id, why: `task ${task.id} depends on ${other.id}`});
				}
			}

			if (task.state === 'blocked' && task.blockedOn) {
				const other = byId.get(task.blockedOn);
				const to = other ? other.agent : task.blockedOn;
				if (to && (other ? other.state !== 'done' : isAgent(to))) {
					edges.push({from: task.agent, to, task: task.id, why: `task ${task.id} is blocked on ${task.blockedOn}`});
				}
			}
		}

		const answered = new Set<string>();
		for (const message of store.messages.recentRoutes(500)) {
			const [from, to] = [bare(message.from), bare(message.to)];
			if (!isAgent(from) || !isAgent(to) || from === to) {
				continue;
			}

			// Newest first: a message counts as waiting only if nothing came back after it.
			if (!answered.has(`${to}>${from}`) && !answered.has(`${from}>${to}`)) {
				edges.push({from, to, why: `${from} asked ${to} "${message.subject.slice(0, 60)}" and has no reply`});
			}

			answered.add(`${from}>${to}`);
		}

		return edges;
	}

	/** A message went between two addresses: traffic resets their quiet time, and feeds the livelock window. */
	traffic(from: string, to: string): void {
		const now = this.tasks.now();
		const [a, b] = [bare(from), bare(to)];
		this.lastTraffic.set(a, now);
		this.lastTraffic.set(b, now);
		if (!this.isAgent(a) || !this.isAgent(b) || a === b) {
			return;
		}

		const key = [a, b].sort().join('|');
		const windowMs = this.context.config.tasks.livelockWindow;
		const pair = this.pairs.get(key) ?? {times: []};
		pair.times = pair.times.filter(time => now - time < windowMs);
		if (pair.times.length === 0) {
			pair.fingerprint = this.fingerprint();
		}

		pair.times.push(now);
		this.pairs.set(key, pair);
		if (pair.times.length >= this.context.config.tasks.livelockMessages && !this.reported.has(`livelock:${key}`)) {
			void this.livelock(key, pair);
		}
	}

	/** Recompute the graph and report deadlocks that have rested long enough. */
	check(): void {
		const edges = this.edges();
		const now = this.tasks.now();
		const activity = new Map(activityRows(this.tasks.store).map(row => [row.agent, row]));
		const standing = new Set<string>();
		for (const agents of cyclesOf(edges)) {
			const key = `deadlock:${agents.join('|')}`;
			standing.add(key);
			if (this.reported.has(key)) {
				continue;
			}

			const rows = agents.map(agent => activity.get(agent));
			if (rows.some(row => !row || !resting.has(row.state))) {
				continue;
			}

			const quietSince = Math.max(...rows.map(row => Date.parse(row!.since)), ...agents.map(agent => this.lastTraffic.get(agent) ?? 0));
			if (now - quietSince < this.context.config.tasks.deadlockAfter) {
				this.wakeAt(quietSince + this.context.config.tasks.deadlockAfter);
				continue;
			}

			const inCycle = edges.filter(edge => agents.includes(edge.from) && agents.includes(edge.to));
			this.report(key, {kind: 'deadlock', agents, tasks: [...new Set(inCycle.flatMap(edge => edge.task ? [edge.task] : []))].sort(), since: new Date(quietSince).toISOString()}, inCycle);
		}

		for (const key of this.reported.keys()) {
			if (key.startsWith('deadlock:') && !standing.has(key)) {
				this.reported.delete(key);
				this.publish();
			}
		}
	}

	stop(): void {
		this.stopped = true;
		this.context.clock.clearTimeout(this.wake?.timer);
	}

	/** Look again at `at` (one wake-up, the earliest wanted). */
	private wakeAt(at: number): void {
		if (this.stopped || (this.wake && this.wake.at <= at)) {
			return;
		}

		this.context.clock.clearTimeout(this.wake?.timer);
		const timer = this.context.clock.setTimeout(() => {
			this.wake = undefined;
			try {
				if (!this.stopped) {
					this.check();
				}
			} catch (error) {
				this.context.log.log('warn', `tasks: looking at the wait-for graph: ${String(error)}`);
			}
		}, Math.max(0, at - this.tasks.now()) + 5);
		this.wake = {at, timer};
	}

	/** The cycles that stand now. */
	standing(): StandingCycle[] {
		return [...this.reported.values()];
	}

	private report(key: string, cycle: StandingCycle, edges: WaitEdge[]): void {
		this.reported.set(key, cycle);
		this.context.emit({type: 'cycle.detected', ...cycle});
		this.publish();
		const spelled = edges.map(edge => `- ${edge.from} waits for ${edge.to}: ${edge.why}`).join('\n');
		const breaker = cycle.kind === 'livelock'
			? `Suggested: interrupt one of them (cmux-tui recover interrupt ${cycle.agents[0]!}) and give one a concrete next step.`
			: cycle.tasks.length > 0
				? `Suggested: reset or reassign one task to break it (cmux-tui tasks reset ${cycle.tasks.at(-1)!}), or answer the waiting request yourself.`
				: `Suggested: answer the oldest request yourself, or nudge ${cycle.agents[0]!} with what it waits for.`;
		void tellSupervisor(this.tasks, `${cycle.kind}: ${cycle.agents.join(', ')}`, `${cycle.kind === 'deadlock' ? 'Deadlock' : 'Livelock'} since ${cycle.since}:\n${spelled}\n${breaker}`)
			.catch((error: unknown) => {
				this.context.log.log('warn', `telling the supervisor about a ${cycle.kind}: ${String(error)}`);
			});
	}

	private async livelock(key: string, pair: {times: number[]; fingerprint?: Promise<string>}): Promise<void> {
		const before = await pair.fingerprint;
		if (before === undefined || before !== await this.fingerprint() || this.reported.has(`livelock:${key}`)) {
			return;
		}

		const agents = key.split('|');
		this.report(`livelock:${key}`, {kind: 'livelock', agents, tasks: [], since: new Date(pair.times[0]!).toISOString()},
			[{from: agents[0]!, to: agents[1]!, why: `${pair.times.length} messages between them and no file changed`}]);
		// A livelock stands until the window empties again.
		setTimeout(() => {
			this.reported.delete(`livelock:${key}`);
			this.publish();
		}, this.context.config.tasks.livelockWindow).unref();
	}

	/** What the project's files look like now (HEAD and the working tree). */
	private async fingerprint(): Promise<string> {
		const root = this.tasks.paths.root;
		const tree = await workingTree(root);
		// Paths alone miss a file changed twice: their modification times say it changed again.
		const times = [...tree?.staged ?? [], ...tree?.unstaged ?? [], ...tree?.untracked ?? []]
			.map(file => fs.statSync(path.join(root, file), {throwIfNoEntry: false})?.mtimeMs ?? 0);
		return crypto.createHash('sha1').update(JSON.stringify([await headCommit(root), tree, times])).digest('hex');
	}

	private isAgent(name: string): boolean {
		return this.tasks.config.agents.some(agent => agent.name === name) || this.tasks.store.agents.has(name);
	}

	private publish(): void {
		const cycles = this.standing();
		this.tasks.store.setServiceState('tasks', cycles.length > 0 ? 'degraded' : 'healthy', {cycles});
	}
}
