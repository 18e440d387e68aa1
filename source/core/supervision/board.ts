import type {Clock} from '../clock.js';
import type {ServiceContext} from '../orchestrator.js';
import {deleteActivity, saveActivity} from './activity-store.js';
import {ActivityMachine, type MachineOptions, type Transition} from './machine.js';
import type {Activity} from './states.js';

/**
 * Every agent's activity machine, the one place their transitions are persisted and announced
 * (`agent.state`), and the one timer that drives them (set to the earliest thing any machine waits for).
 */
export class ActivityBoard {
	readonly machines = new Map<string, ActivityMachine>();
	private readonly pending: Transition[] = [];
	private timer?: NodeJS.Timeout;
	private timerDue?: number;
	private stopped = false;
	/** Called for each announced transition (the ladder, tests). */
	readonly listeners: Array<(transition: Transition) => void> = [];

	constructor(
		private readonly context: ServiceContext,
		private readonly options: MachineOptions,
		private readonly stored: Map<string, Activity>,
		private readonly onDue: (machine: ActivityMachine, due: {check: boolean; token?: number}) => void,
	) {}

	private get clock(): Clock {
		return this.context.clock;
	}

	/** The agent's machine, made on first use from its stored activity (or `starting`). */
	machine(agent: string): ActivityMachine {
		let machine = this.machines.get(agent);
		if (!machine) {
			const initial = this.stored.get(agent) ?? {state: 'starting', source: 'process', since: this.clock.now()};
			machine = new ActivityMachine(agent, this.options, initial);
			this.machines.set(agent, machine);
			if (!this.stored.has(agent)) {
				saveActivity(this.context.store, agent, initial);
			}
		}

		return machine;
	}

	/** Forget an agent (unregistered). */
	remove(agent: string): void {
		this.machines.delete(agent);
		this.stored.delete(agent);
		deleteActivity(this.context.store, agent);
	}

	/** Persist a transition now (inside the caller's transaction, if any); announce it on `flush`. */
	record(transition: Transition | undefined): void {
		if (!transition) {
			return;
		}

		const machine = this.machines.get(transition.agent);
		if (machine) {
			saveActivity(this.context.store, transition.agent, machine.current);
		}

		this.pending.push(transition);
	}

	/** Announce recorded transitions and re-arm the timer. */
	flush(): void {
		for (const transition of this.pending.splice(0)) {
			this.context.emit({
				type: 'agent.state', agent: transition.agent, state: transition.state, previous: transition.previous,
				source: transition.source, since: new Date(transition.since).toISOString(),
			});
			for (const listener of this.listeners) {
				listener(transition);
			}
		}

		this.schedule();
	}

	/** Record and announce at once (for inputs outside a transaction). */
	apply(transition: Transition | undefined): Transition | undefined {
		this.record(transition);
		this.flush();
		return transition;
	}

	/** Arm the timer for the earliest due machine (only re-armed when something is due sooner). */
	schedule(): void {
		if (this.stopped) {
			return;
		}

		let due: number | undefined;
		for (const machine of this.machines.values()) {
			const next = machine.nextDue();
			if (next !== undefined && (due === undefined || next < due)) {
				due = next;
			}
		}

		if (due === undefined || (this.timerDue !== undefined && this.timerDue <= due)) {
			return;
		}

		this.clock.clearTimeout(this.timer);
		this.timerDue = due;
		this.timer = this.clock.setTimeout(() => {
			this.timer = undefined;
			this.timerDue = undefined;
			this.fire();
		}, Math.max(10, due - this.clock.now()));
		this.timer.unref?.();
	}

	stop(): void {
		this.stopped = true;
		this.clock.clearTimeout(this.timer);
	}

	private fire(): void {
		const now = this.clock.now();
		for (const machine of this.machines.values()) {
			const next = machine.nextDue();
			if (next === undefined || next > now) {
				continue;
			}

			const due = machine.tick(now);
			this.record(due.transition);
			if (due.check) {
				this.onDue(machine, due);
			}
		}

		this.flush();
	}
}
