import {errorText} from '../errors.js';
import type {CmuxEvent} from '../events.js';
import {isKnownAgent} from '../heartbeat/beat.js';
import type {BeatSignal, Service, ServiceContext} from '../orchestrator.js';
import type {Handlers} from '../api.js';
import {supervisionCommands} from './commands.js';
import {loadActivity, saveActivity} from './activity-store.js';
import {BeatWatch} from './beats.js';
import {ActivityBoard} from './board.js';
import {Ladder} from './ladder.js';
import type {ActivityMachine} from './machine.js';
import {PaneChecker} from './pane-check.js';
import {PaneMap} from './pane-map.js';
import {HookIntake, type HookRecord} from './signals/hook-intake.js';
import {mapHook} from './signals/hook-map.js';
import {OutputTracker} from './signals/output-tracker.js';

/** How often heartbeats, budgets and the nudge ladder are looked at (ms). */
const housekeepingMs = 1000;

/**
 * Agent supervision: one activity state per agent from hooks (the spool), pane output (a control
 * connection of its own), pane patterns (checked when output goes quiet), heartbeats and process
 * events; then nudges, escalation and recovery (the ladder).
 */
export class SupervisionService implements Service {
	readonly name = 'supervision';
	readonly board: ActivityBoard;
	readonly checker: PaneChecker;
	readonly ladder: Ladder;
	readonly commands: Handlers;
	private readonly intake: HookIntake;
	private readonly tracker: OutputTracker;
	private readonly beats: BeatWatch;
	private readonly panes: PaneMap;
	private readonly checking = new Set<string>();
	private housekeeping?: NodeJS.Timeout;
	private stopped = false;
	private readonly onEvent = (event: CmuxEvent) => {
		this.processEvent(event);
	};

	/**
	 * Each agent's last start or end seen before this service started: the agents service starts
	 * first, and an agent may exit while the services after it start, before its row says so.
	 */
	private readonly early = new Map<string, string>();
	private readonly onEarlyEvent = (event: CmuxEvent) => {
		if (['agent.started', 'agent.exited', 'agent.killed'].includes(event.type) && 'agent' in event && typeof event.agent === 'string') {
			this.early.set(event.agent, event.type);
		}
	};

	/** A heartbeat recorded by this orchestrator (`beat`, `POST /beat`): taken at once, not at the next poll. */
	private readonly onBeat = ({agent, at}: BeatSignal) => {
		this.beats.note(agent, at);
		this.beat(agent, at);
		this.board.flush();
	};

	constructor(private readonly context: ServiceContext) {
		context.orchestrator.on('event', this.onEarlyEvent);
		const {config, store, paths, log} = context;
		const s = config.supervision;
		this.checker = new PaneChecker(context.tmux, config);
		this.board = new ActivityBoard(context, {debounceMs: s.debounce, approvalHoldMs: s.approvalHold, stallTimeoutMs: s.stallTimeout, sustainMs: Math.min(800, s.debounce)},
			loadActivity(store), (machine, due) => {
				void this.checkPane(machine, due.token);
			});
		this.ladder = new Ladder(context, this.board, this.checker);
		this.panes = new PaneMap(context, name => this.board.machines.has(name));
		this.intake = new HookIntake({
			root: paths.root, store,
			apply: records => {
				this.applyHooks(records);
			},
			committed: () => {
				this.board.flush();
			},
			rejected: (line, reason) => {
				log.log('warn', `hook spool line ${line} rejected: ${reason}`);
			},
			onError: error => {
				log.log('warn', `hook spool: ${errorText(error)}`);
			},
		});
		this.tracker = new OutputTracker({
			socket: config.tmuxSocket, session: config.session, log,
			onOutput: (pane, at) => {
				this.output(pane, at);
			},
			// A round trip on the orchestrator's own client: it is connected, and the session exists.
			before: async () => context.tmux.run(['display-message', '-p', '']),
		});
		this.commands = {
			...supervisionCommands(context, {
				restart: async (name, resume) => context.api.call('agents.restart', {name, ...(resume ? {resume} : {})}),
				kill: async name => context.api.call('agents.kill', {name, force: true}),
				reset: name => {
					this.ladder.forget(name);
					this.board.remove(name);
					this.board.machine(name);
					this.board.schedule();
				},
			}),
			hook: async ({agent, kind, ts, payload}) => {
				this.context.store.supervision.transaction(() => {
					this.applyHooks([{v: 1, agent, kind, ts, payload, line: 0}]);
				});
				this.board.flush();
				return {agent, ...(this.board.machines.get(agent) ? {state: this.board.machines.get(agent)!.current.state} : {})};
			},
		};
		this.beats = new BeatWatch(store, paths.root, () => config.agents.filter(agent => agent.type === 'supervisor').map(agent => agent.name));
	}

	async start(): Promise<void> {
		this.context.orchestrator.off('event', this.onEarlyEvent);
		this.context.orchestrator.on('event', this.onEvent);
		this.context.orchestrator.on('beat', this.onBeat);
		this.beats.poll();
		this.intake.start();
		// Agents may have started (or run on from an earlier orchestrator) before this service
		// listened: each pane is checked once it is quiet.
		const now = this.context.clock.now();
		const rows = this.context.store.agents.states();
		for (const agent of this.context.config.agents) {
			const machine = this.board.machine(agent.name);
			machine.recheck(now);
			// An agent that ended while the services before this one started (its exit event came first).
			// The last start or end announced is the newest word; without one, the agents table's row.
			const early = this.early.get(agent.name);
			const ended = early === undefined ? ['exited', 'failed', 'stopped'].includes(rows.get(agent.name)?.state ?? '') : early !== 'agent.started';
			if (ended) {
				this.board.record(machine.signal('exited', 'process', now, {reason: 'process-exited'}));
			}
		}

		this.board.flush();

		this.board.schedule();
		if (this.board.machines.size > 0) {
			this.tracker.start();
			void this.panes.refresh();
		}

		this.housekeeping = setInterval(() => {
			this.housekeep();
		}, housekeepingMs);
		this.housekeeping.unref();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.context.orchestrator.off('event', this.onEarlyEvent);
		this.context.orchestrator.off('event', this.onEvent);
		this.context.orchestrator.off('beat', this.onBeat);
		clearInterval(this.housekeeping);
		this.board.stop();
		this.ladder.stop();
		this.intake.stop();
		await this.tracker.stop();
		await this.panes.settled();
	}

	/** Read the hook spool now (tests and benchmarks skip the watcher's wake-up). */
	checkSpool(): void {
		this.intake.check();
	}

	private applyHooks(records: HookRecord[]): void {
		const {store, config} = this.context;
		for (const record of records) {
			const verdict = mapHook(record.payload);
			if (!isKnownAgent(store, config, record.agent)) {
				this.context.log.log('warn', `hook from unknown agent ${record.agent} ignored`);
				continue;
			}

			this.context.orchestrator.emit('hook', {agent: record.agent, ts: record.ts, payload: record.payload});
			const machine = this.board.machine(record.agent);
			if (!verdict) {
				// An event that says nothing about activity still says the agent is alive.
				this.board.record(machine.beat(record.ts));
				continue;
			}

			const transition = machine.signal(verdict.state, 'hook', Math.max(record.ts, machine.current.since), verdict.detail);
			if (transition) {
				this.board.record(transition);
			} else {
				// Same state: what the hook said (session id, source) is kept all the same.
				saveActivity(store, record.agent, machine.current);
			}

			this.ladder.hook(record.agent, verdict);
		}
	}

	private output(pane: string, at: number): void {
		const agent = this.panes.agentOf(pane, at);
		if (agent === undefined) {
			return;
		}

		this.context.orchestrator.emit('output', agent);
		const machine = this.board.machines.get(agent);
		if (machine) {
			const transition = machine.output(at);
			if (transition) {
				this.board.apply(transition);
			} else {
				this.board.schedule();
			}
		}
	}

	private processEvent(event: CmuxEvent): void {
		if (!('agent' in event) || typeof event.agent !== 'string') {
			return;
		}

		const now = this.context.clock.now();
		switch (event.type) {
			case 'agent.started': {
				this.board.apply(this.board.machine(event.agent).signal('starting', 'process', now));
				this.ladder.started(event.agent);
				this.tracker.start();
				void this.panes.refresh();
				break;
			}

			case 'agent.exited':
			case 'agent.killed': {
				this.board.apply(this.board.machine(event.agent).signal('exited', 'process', now, event.type === 'agent.exited' ? {reason: event.reason} : {reason: 'killed'}));
				this.ladder.exited(event.agent, event.type === 'agent.exited' && event.code === 0);
				break;
			}

			case 'agent.unregistered': {
				this.board.remove(event.agent);
				break;
			}

			default:
		}
	}

	private async checkPane(machine: ActivityMachine, token: number | undefined): Promise<void> {
		if (this.checking.has(machine.agent) || this.stopped) {
			return;
		}

		this.checking.add(machine.agent);
		try {
			const found = await this.checker.check(machine.agent);
			this.board.apply(machine.checked(found?.state, this.context.clock.now(), token, found ? {pattern: found.pattern} : undefined));
		} catch (error) {
			// The pane is gone (the agents service reports the exit) or tmux is away (it reconnects).
			this.context.log.log('debug', `pane check of ${machine.agent}: ${errorText(error)}`);
		} finally {
			this.checking.delete(machine.agent);
		}
	}

	private beat(agent: string, at: number): void {
		const machine = this.board.machines.get(agent);
		if (machine) {
			this.board.record(machine.beat(at));
		}
	}

	private housekeep(): void {
		if (this.stopped) {
			return;
		}

		try {
			for (const {agent, at} of this.beats.poll()) {
				this.beat(agent, at);
			}

			this.board.flush();
			this.ladder.review(this.context.clock.now());
		} catch (error) {
			this.context.log.log('warn', `supervision housekeeping: ${errorText(error)}`);
		}
	}
}
