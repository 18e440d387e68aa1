import type {Clock} from '../../source/core/clock.js';

interface FakeTimer {
	id: number;
	at: number;
	callback: () => void;
}

/**
 * A clock whose time moves only when the test says so: `advance(ms)` runs every timer that falls
 * due, in order of due time, each seeing `now()` at its own due time. Timing logic (backoff,
 * cooldowns, crash-loop windows) is then tested exactly and without waiting.
 */
export class FakeClock implements Clock {
	private time: number;
	private timers: FakeTimer[] = [];
	private nextId = 1;

	constructor(start = Date.parse('2026-01-31T06:00:00.000Z')) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
		const timer = {id: this.nextId++, at: this.time + Math.max(0, ms), callback};
		this.timers.push(timer);
		// The Clock interface hands out Node timer handles; ours is only ever given back to clearTimeout.
		return timer as unknown as NodeJS.Timeout;
	}

	clearTimeout(timer: NodeJS.Timeout | undefined): void {
		this.timers = this.timers.filter(entry => entry !== (timer as unknown as FakeTimer));
	}

	/** Timers waiting to fire, soonest first (as ms from now). */
	pending(): number[] {
		return this.timers.map(timer => timer.at - this.time).sort((a, b) => a - b);
	}

	/** Move time forward by `ms`, firing each timer that falls due on the way. */
	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			const due = this.timers.filter(timer => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
			if (!due) {
				break;
			}

			this.timers = this.timers.filter(timer => timer !== due);
			this.time = due.at;
			due.callback();
		}

		this.time = end;
	}
}
