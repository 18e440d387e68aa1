/** Events per second over a sliding window of whole seconds (a ring of counters). */
export class EventRate {
	private readonly counts: number[];
	private newestSecond: number;

	constructor(private readonly seconds = 60, now = Date.now()) {
		this.counts = Array.from({length: seconds}, () => 0);
		this.newestSecond = Math.floor(now / 1000);
	}

	/** Count one event that happened at `atMs`; events older than the window are ignored. */
	record(atMs: number): void {
		const second = Math.floor(atMs / 1000);
		this.advance(second);
		if (second <= this.newestSecond - this.seconds) {
			return;
		}

		this.counts[this.slot(second)]! += 1;
	}

	/** The counts per second, oldest first, ending at `now`'s second. */
	series(now = Date.now()): number[] {
		this.advance(Math.floor(now / 1000));
		return Array.from({length: this.seconds}, (_, index) => this.counts[this.slot(this.newestSecond - this.seconds + 1 + index)]!);
	}

	private advance(second: number): void {
		if (second <= this.newestSecond) {
			return;
		}

		const steps = Math.min(this.seconds, second - this.newestSecond);
		for (let step = 1; step <= steps; step++) {
			this.counts[this.slot(this.newestSecond + step)] = 0;
		}

		this.newestSecond = second;
	}

	private slot(second: number): number {
		return ((second % this.seconds) + this.seconds) % this.seconds;
	}
}
