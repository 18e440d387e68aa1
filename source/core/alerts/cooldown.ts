import type {Clock} from '../clock.js';

/** What one alert reports: how many matches, and the first of them (bounded). */
export interface AlertBatch {
	count: number;
	/** The first matches' lines, at most `keep` of them. */
	matches: string[][];
	firstAt: number;
	lastAt: number;
}

/** A window's state, as persisted: when the open window ends, and what it counted so far. */
export interface WindowState {
	/** End of the open window (epoch ms); absent when no window is open. */
	endsAt?: number;
	pending?: AlertBatch;
}

/**
 * Rate-limits alerts for one source: the first match is reported at once and opens a window of
 * `cooldown` ms; matches inside the window are counted (exactly) and reported together when it
 * ends, which opens the next window. A window that ends with nothing closes (`closed` is called).
 * `flush` reports what is pending now (on shutdown), so nothing is silently dropped. When
 * `report` is called, the window's state already reflects the report (so it can be persisted
 * together with it); `state`/`restore` carry a window across a restart.
 */
export class CooldownWindow {
	private pending?: AlertBatch;
	private timer?: NodeJS.Timeout;
	private endsAt?: number;

	constructor(
		private readonly clock: Clock,
		private readonly cooldown: number,
		private readonly report: (batch: AlertBatch) => void,
		private readonly keep = 20,
		private readonly closed?: () => void,
	) {}

	add(lines: string[]): void {
		const now = this.clock.now();
		if (!this.timer) {
			this.open(this.cooldown);
			this.report({count: 1, matches: [lines], firstAt: now, lastAt: now});
			return;
		}

		this.count(lines, now);
	}

	/** Report the pending count now and close the window. */
	flush(): void {
		this.clock.clearTimeout(this.timer);
		this.timer = undefined;
		this.endsAt = undefined;
		const batch = this.pending;
		this.pending = undefined;
		if (batch) {
			this.report(batch);
		}
	}

	/** A copy of the current state. */
	state(): WindowState {
		const pending = this.pending && {...this.pending, matches: [...this.pending.matches]};
		return {...(this.timer ? {endsAt: this.endsAt} : {}), ...(pending ? {pending} : {})};
	}

	/**
	 * Take over a persisted window (on start, before any `add`): one that already ended reports
	 * its pending batch now (which opens the next window, as its timer would have); one still open
	 * goes on for its remaining time. `unadded`: matches read before the restart that were not
	 * counted yet (a group still open when the process died); they belong to that window.
	 */
	restore(state: WindowState, unadded: readonly string[][] = []): void {
		this.clock.clearTimeout(this.timer);
		this.timer = undefined;
		this.pending = state.pending && {...state.pending, matches: [...state.pending.matches]};
		for (const lines of unadded) {
			this.count(lines, this.clock.now());
		}

		const remaining = (state.endsAt ?? Number.NEGATIVE_INFINITY) - this.clock.now();
		if (remaining > 0) {
			this.open(remaining);
		} else {
			this.end();
		}
	}

	/** Count a match in the pending batch (kept among its first `keep`). */
	private count(lines: string[], now: number): void {
		this.pending ??= {count: 0, matches: [], firstAt: now, lastAt: now};
		this.pending.count++;
		this.pending.lastAt = now;
		if (this.pending.matches.length < this.keep) {
			this.pending.matches.push(lines);
		}
	}

	private open(ms: number): void {
		this.endsAt = this.clock.now() + ms;
		this.timer = this.clock.setTimeout(() => {
			this.end();
		}, ms);
	}

	private end(): void {
		this.timer = undefined;
		this.endsAt = undefined;
		const batch = this.pending;
		this.pending = undefined;
		if (batch) {
			this.open(this.cooldown);
			this.report(batch);
		} else {
			this.closed?.();
		}
	}
}
