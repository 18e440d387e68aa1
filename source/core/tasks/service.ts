import {errorText} from '../errors.js';
import type {CmuxEvent} from '../events.js';
import type {Handlers} from '../api.js';
import type {HookSignal, Service, ServiceContext} from '../orchestrator.js';
import {activityRows} from '../supervision/activity-store.js';
import {Budgets} from './budgets.js';
import {currentTask, moveTask, offerNext, type TaskContext} from './book.js';
import {offerAfter, taskCommands, type TaskHost} from './commands.js';
import {findMarkers, judgeClaim, type Claim} from './completion.js';
import {Compaction} from './compaction.js';
import {CycleWatch} from './cycles.js';
import {free, QuietWork} from './quiet.js';
import {Chains} from './serial.js';

const housekeepingMs = 1000;

/**
 * Tasks in the running orchestrator: offers each agent its queue once it is free, moves tasks on
 * status updates, hooks, pane markers and mail, judges claims on evidence, counts budgets, watches
 * the wait-for graph for deadlocks and livelocks, and hands off across compactions.
 */
export class TasksService implements Service {
	readonly name = 'tasks';
	readonly commands: Handlers;
	readonly tasks: TaskContext;
	private readonly host: TaskHost;
	private readonly budgets: Budgets;
	readonly cycles: CycleWatch;
	/** Agents whose next task waits for them to be free. */
	private readonly waitingOffer = new Set<string>();
	private readonly chains: Chains;
	private readonly compaction: Compaction;
	private readonly claims = new Set<string>();
	private readonly quiet: QuietWork;
	private timer?: NodeJS.Timeout;
	private stopped = false;
	private readonly onEvent = (event: CmuxEvent) => {
		this.processEvent(event);
	};

	private readonly onHook = (signal: HookSignal) => {
		// Called inside supervision's intake transaction: act after it, never throw into it.
		setImmediate(() => {
			this.processHook(signal);
		});
	};

	constructor(private readonly context: ServiceContext) {
		this.tasks = {config: context.config, paths: context.paths, store: context.store, emit: event => context.emit(event), now: () => context.clock.now()};
		this.host = {
			offer: async agent => this.offer(agent),
			changed: () => {
				this.cycles.check();
			},
		};
		this.commands = taskCommands(this.tasks, this.host, context.tmux);
		this.budgets = new Budgets(this.tasks, context);
		this.cycles = new CycleWatch(this.tasks, context);
		this.chains = new Chains(context.log);
		this.quiet = new QuietWork(context, {
			markers: (agent, text) => this.markers(agent, text, 'marker'),
			claim: claim => {
				this.claim(claim);
			},
			activityOf: agent => this.activityOf(agent),
		});
		this.compaction = new Compaction(this.tasks, context, this.chains, agent => this.activityOf(agent));
	}

	async start(): Promise<void> {
		this.context.orchestrator.on('event', this.onEvent);
		this.context.orchestrator.on('hook', this.onHook);
		this.timer = setInterval(() => {
			this.housekeep();
		}, housekeepingMs);
		this.timer.unref();
		for (const task of this.context.store.tasks.list('assigned')) {
			if (task.agent && task.offeredAt === null) {
				void this.offer(task.agent);
			}
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.compaction.stop();
		this.cycles.stop();
		clearInterval(this.timer);
		this.quiet.stop();

		this.context.orchestrator.off('event', this.onEvent);
		this.context.orchestrator.off('hook', this.onHook);
		await this.chains.settle();
	}

	/** Budgets and cycles are time-driven too: look at them now (tests call this with their clock). */
	housekeep(): void {
		if (this.stopped) {
			return;
		}

		try {
			this.budgets.review();
			this.cycles.check();
		} catch (error) {
			this.context.log.log('warn', `tasks housekeeping: ${errorText(error)}`);
		}
	}

	private async serial<T>(key: string, work: () => Promise<T>): Promise<T> {
		return this.chains.run(key, work);
	}

	private activityOf(agent: string): string | undefined {
		return activityRows(this.context.store).find(row => row.agent === agent)?.state;
	}

	/** Offer now when the agent is free (or its activity is unknown), else once it is. */
	private async offer(agent: string): Promise<void> {
		const state = this.activityOf(agent);
		if (state !== undefined && !free.has(state)) {
			this.waitingOffer.add(agent);
			return;
		}

		this.waitingOffer.delete(agent);
		await this.serial(`agent:${agent}`, async () => offerNext(this.tasks, agent));
		this.cycles.check();
	}

	private claim(claim: Claim): void {
		// The same claim seen again (the marker still on screen, a repeated hook) is judged once.
		const key = `${claim.task}|${claim.method}|${claim.ok}|${claim.summary ?? ''}`;
		if (this.claims.has(key)) {
			return;
		}

		this.claims.add(key);
		void this.serial(`task:${claim.task}`, async () => {
			const task = await judgeClaim(this.tasks, claim);
			await offerAfter(this.tasks, this.host, task);
			this.cycles.check();
		});
	}

	/** Markers in a text claim the tasks they name, when those belong to `agent` and are still open. */
	private markers(agent: string, text: string, method: Claim['method']): boolean {
		let found = false;
		for (const marker of findMarkers(text)) {
			const task = this.context.store.tasks.get(marker.task);
			if (!task || task.agent !== agent || !['assigned', 'in_progress', 'blocked', 'review'].includes(task.state) || task.offeredAt === null) {
				continue;
			}

			found = true;
			this.claim({task: task.id, ok: marker.ok, method, by: agent, ...(marker.summary ? {summary: marker.summary} : {})});
		}

		return found;
	}

	private processHook({agent, payload}: HookSignal): void {
		if (this.stopped) {
			return;
		}

		const event = typeof payload.hook_event_name === 'string' ? payload.hook_event_name : typeof payload.type === 'string' ? payload.type : '';
		const last = [payload.last_assistant_message, payload.prompt_response, payload['last-assistant-message']].find(value => typeof value === 'string') as string | undefined;
		if (event === 'Stop' || event === 'AfterAgent' || event === 'agent-turn-complete') {
			this.budgets.turn(agent);
		}

		if (last) {
			this.markers(agent, last, 'marker');
		}

		this.compaction.hook(agent, event, payload);
	}

	private processEvent(event: CmuxEvent): void {
		switch (event.type) {
			case 'message.status': {
				this.statusUpdate(event.id, event.status);
				break;
			}

			case 'message.received': {
				const message = this.context.store.messages.get(event.id);
				if (message) {
					this.markers(message.from.replace(/^[\w.-]+:/, ''), `${message.subject}\n${message.body ?? ''}`, 'mail');
				}

				this.cycles.traffic(event.from, event.to);
				break;
			}

			case 'agent.state': {
				this.agentState(event.agent, event.state);
				break;
			}

			case 'agent.nudged': {
				// A /compact typed for tasks.compactAt is no nudge the task cost.
				if (event.reason !== 'compact') {
					this.budgets.spent(event.agent, 'nudges');
				}

				break;
			}

			case 'agent.restarted': {
				this.budgets.spent(event.agent, 'restarts');
				break;
			}

			default:
		}
	}

	private statusUpdate(id: string, status: string): void {
		const task = this.context.store.tasks.byMessageId(id);
		if (!task || task.state === 'done') {
			return;
		}

		if (status === 'completed' || status === 'failed') {
			this.claim({task: task.id, ok: status === 'completed', method: 'status', ...(task.agent ? {by: task.agent} : {})});
			return;
		}

		void this.serial(`task:${task.id}`, async () => {
			const fresh = this.context.store.tasks.get(task.id)!;
			const to = status === 'working' ? 'in_progress' : status === 'input-required' ? 'blocked' : undefined;
			if (to && fresh.state !== to && ['assigned', 'in_progress', 'blocked', 'review'].includes(fresh.state)) {
				moveTask(this.tasks, fresh, to, {note: `status update: ${status}`, ...(to === 'blocked' ? {patch: {blockedOn: 'user'}} : {})});
				this.cycles.check();
			}
		});
	}

	private agentState(agent: string, state: string): void {
		if (!free.has(state)) {
			this.quiet.busy(agent);
		}

		const task = currentTask(this.tasks, agent);
		if (state === 'working' && task?.state === 'assigned' && task.messageId && this.context.store.messages.get(task.messageId)?.state === 'delivered') {
			void this.serial(`task:${task.id}`, async () => {
				const fresh = this.context.store.tasks.get(task.id)!;
				if (fresh.state === 'assigned') {
					moveTask(this.tasks, fresh, 'in_progress', {note: 'the agent is working on it'});
				}
			});
		}

		if (state === 'idle' || state === 'done') {
			this.compaction.idle(agent);
		}

		if (free.has(state) || state === 'waiting_input') {
			if (task && task.offeredAt !== null) {
				void this.serial(`agent:${agent}:idle`, async () => this.quiet.idleWith(agent, task, state));
			} else if (this.waitingOffer.has(agent) && free.has(state)) {
				void this.offer(agent);
			}
		}

		this.cycles.check();
	}
}
