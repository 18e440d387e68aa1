import type {Clock} from '../clock.js';

/** What one alert reports: how many matches, and the first of them (bounded). */
export interface AlertBatch {
	count: number;
	/** The first matches' lines, at most `keep` of them. */
	matches: string[][];
	firstAt: number;
	lastAt: number;
}

/**
 * Rate-limits alerts for one source: the first match is reported at once and opens a window of
 * `cooldown` ms; matches inside the window are counted (exactly) and reported together when it
 * ends, which opens the next window. A window that ends with nothing closes. `flush` reports what
 * is pending now (on shutdown), so nothing is silently dropped.
 */
export class CooldownWindow {
	private pending?: AlertBatch;
	private timer?: NodeJS.Timeout;

	constructor(
		private readonly clock: Clock,
		private readonly cooldown: number,
		private readonly report: (batch: AlertBatch) => void,
		private readonly keep = 20,
	) {}

	add(lines: string[]): void {
		const now = this.clock.now();
		if (!this.timer) {
			this.report({count: 1, matches: [lines], firstAt: now, lastAt: now});
			this.open();
			return;
		}

		this.pending ??= {count: 0, matches: [], firstAt: now, lastAt: now};
		this.pending.count++;
		this.pending.lastAt = now;
		if (this.pending.matches.length < this.keep) {
			this.pending.matches.push(lines);
		}
	}

	/** Report the pending count now and close the window. */
	flush(): void {
		this.clock.clearTimeout(this.timer);
		this.timer = undefined;
		const batch = this.pending;
		this.pending = undefined;
		if (batch) {
			this.report(batch);
		}
	}

	private open(): void {
		this.timer = this.clock.setTimeout(() => {
			this.timer = undefined;
			const batch = this.pending;
			this.pending = undefined;
			if (batch) {
				this.report(batch);
				this.open();
			}
		}, this.cooldown);
	}
}
