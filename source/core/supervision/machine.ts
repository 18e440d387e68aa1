import {restingStates, type Activity, type ActivityState, type SignalSource} from './states.js';

/** Timing of the activity machine (ms). */
export interface MachineOptions {
	/** Output quiet this long ends a burst: the pane is checked, and an output-only `working` becomes `idle`. */
	debounceMs: number;
	/** A fresh approval wait is not overridden by output (a spinner) for this long. */
	approvalHoldMs: number;
	/** Working with no output, no hook and no heartbeat this long → `stalled`. */
	stallTimeoutMs: number;
	/**
	 * Output must go on this long, dense (several writes within a second, like a spinner or a
	 * scrolling log), to wake a resting agent: a cursor blink or a once-a-second clock does not.
	 */
	sustainMs: number;
}

/** Writes within a second that make output dense. */
const denseWrites = 4;

export const defaultMachineOptions: MachineOptions = {debounceMs: 1500, approvalHoldMs: 3000, stallTimeoutMs: 300_000, sustainMs: 800};

/** A change of state, as `agent.state` reports it. */
export interface Transition {
	agent: string;
	state: ActivityState;
	previous: ActivityState;
	source: SignalSource;
	since: number;
	detail?: Record<string, unknown>;
}

/**
 * One agent's activity state machine. Pure: every input carries its time, nothing reads a clock,
 * so tests drive it with any timeline. Inputs are hooks and process events (`signal`), pane
 * output (`output`), heartbeats (`beat`), the verdict of a pane check (`checked`) and the passing of
 * time (`tick`, which may ask for a pane check). Each returns the transition it caused, if any.
 */
export class ActivityMachine {
	private activity: Activity;
	private lastOutput?: number;
	private burstStart?: number;
	/** The last few output times, newest last, to tell a spinner from a clock. */
	private readonly recent: number[] = [];
	/** Last sign of life: output, hook, heartbeat or state change. */
	private lastLife: number;
	/** When the current quiet period began (last output or hook), and whether it was checked. */
	private quietFrom?: number;
	private quietChecked = true;

	constructor(readonly agent: string, private readonly options: MachineOptions, initial: Activity) {
		this.activity = initial;
		this.lastLife = initial.since;
	}

	get current(): Activity {
		return this.activity;
	}

	/** Last output, hook, heartbeat or state change (epoch ms). */
	get lastSignOfLife(): number {
		return this.lastLife;
	}

	/** A hook or the process said the agent is in `state`. */
	signal(state: ActivityState, source: SignalSource, now: number, detail?: Record<string, unknown>): Transition | undefined {
		if (this.activity.state === 'exited' && source !== 'process') {
			// A late hook from a process that is gone says nothing about the next one.
			return undefined;
		}

		this.lastLife = now;
		if (source === 'hook' || (source === 'process' && state === 'starting')) {
			this.quietFrom = Math.max(now, this.lastOutput ?? 0);
			this.quietChecked = false;
		}

		return this.move(state, source, now, detail);
	}

	/** The pane produced output at `now`. */
	output(now: number): Transition | undefined {
		if (this.lastOutput === undefined || now - this.lastOutput > this.options.debounceMs) {
			this.burstStart = now;
		}

		this.lastOutput = now;
		this.lastLife = now;
		this.recent.push(now);
		if (this.recent.length > denseWrites) {
			this.recent.shift();
		}

		const {state, since, source} = this.activity;
		const dense = this.recent.length === denseWrites && now - this.recent[0]! <= 1000;
		if (dense || !restingStates.has(state)) {
			// Sparse output (a clock) in a resting pane does not postpone its check: it is quiet enough.
			this.quietFrom = now;
			this.quietChecked = false;
		}

		const sustained = dense && now - (this.burstStart ?? now) >= this.options.sustainMs;
		if (state === 'stalled') {
			return this.move('working', 'output', now);
		}

		if (state === 'waiting_approval') {
			return now - since >= this.options.approvalHoldMs && sustained ? this.move('working', 'output', now) : undefined;
		}

		// A fresh hook is trusted over output for a moment (an agent redraws after its Stop hook).
		const trusted = source === 'hook' && now - since < this.options.approvalHoldMs;
		return restingStates.has(state) && sustained && !trusted ? this.move('working', 'output', now) : undefined;
	}

	/** Look at the pane once it has been quiet for the debounce (after a start or an orchestrator restart). */
	recheck(now: number): void {
		this.quietFrom = Math.max(now, this.lastOutput ?? 0);
		this.quietChecked = false;
	}

	/** A heartbeat (`beat`, `POST /beat`, the supervisor file): alive, so not stalled. */
	beat(now: number): Transition | undefined {
		this.lastLife = Math.max(this.lastLife, now);
		return this.activity.state === 'stalled' ? this.move('working', 'heartbeat', now) : undefined;
	}

	/** Time passed: maybe `stalled`, maybe a quiet pane to check (`check: true`). */
	tick(now: number): {transition?: Transition; check: boolean; token?: number} {
		if (this.activity.state === 'working' && now - this.lastLife >= this.options.stallTimeoutMs) {
			return {transition: this.move('stalled', 'heartbeat', now, {silentMs: now - this.lastLife}), check: false};
		}

		if (!this.quietChecked && this.quietFrom !== undefined && now - this.quietFrom >= this.options.debounceMs && this.activity.state !== 'exited') {
			this.quietChecked = true;
			return {check: true, token: this.quietFrom};
		}

		return {check: false};
	}

	/**
	 * What a check of the visible pane found: a state its patterns matched, or undefined. `token` is
	 * the one `tick` gave: a verdict on a pane that has produced output since is out of date.
	 */
	checked(state: ActivityState | undefined, now: number, token: number | undefined, detail?: Record<string, unknown>): Transition | undefined {
		const current = this.activity;
		if (current.state === 'exited' || (token !== undefined && token !== this.quietFrom)) {
			return undefined;
		}

		if (state === undefined) {
			// Nothing on screen says "working": output-only or pattern-only work ends when the pane goes quiet.
			const ended = (current.state === 'working' && current.source !== 'hook') || current.state === 'starting';
			return ended ? this.move('idle', 'output', now, this.quietDetail(now)) : undefined;
		}

		if (state === 'working' && current.state === 'waiting_approval' && now - current.since < this.options.approvalHoldMs) {
			return undefined;
		}

		return this.move(state, 'pattern', now, {...detail, ...this.quietDetail(now)});
	}

	/**
	 * How long after the quiet spell began a check decided (for the benchmark's quiet → idle latency):
	 * from when this machine saw the pane go quiet, which after a restart is its own start, and which
	 * sparse output in a resting pane does not move.
	 */
	private quietDetail(now: number): Record<string, unknown> {
		return this.quietFrom === undefined ? {} : {quietMs: now - this.quietFrom};
	}

	/** When `tick` next has something to do, or undefined. */
	nextDue(): number | undefined {
		const due: number[] = [];
		if (!this.quietChecked && this.quietFrom !== undefined && this.activity.state !== 'exited') {
			due.push(this.quietFrom + this.options.debounceMs);
		}

		if (this.activity.state === 'working') {
			due.push(this.lastLife + this.options.stallTimeoutMs);
		}

		return due.length > 0 ? Math.min(...due) : undefined;
	}

	private move(state: ActivityState, source: SignalSource, now: number, detail?: Record<string, unknown>): Transition | undefined {
		const previous = this.activity.state;
		if (state === previous) {
			if (detail) {
				this.activity = {...this.activity, detail: {...this.activity.detail, ...detail}};
			}

			return undefined;
		}

		this.activity = {state, source, since: now, ...(detail ? {detail} : {})};
		this.lastLife = Math.max(this.lastLife, now);
		if (state === 'working') {
			// A new burst of work: the stall clock starts now.
			this.lastLife = now;
		}

		return {agent: this.agent, state, previous, source, since: now, ...(detail ? {detail} : {})};
	}
}
