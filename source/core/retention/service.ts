import {errorText} from '../errors.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import type {PruneCounts, RetentionPolicy} from '../store/retention.js';

export interface RetentionOptions {
	/** Delay before the first pass after start (default: the smaller of 30 s and the interval). */
	firstDelay?: number;
	/** Most rows of each table one step deletes (default 1,000). */
	batch?: number;
}

/** A pass stops after this many steps even if rows are left: the next pass goes on. */
const maxStepsPerPass = 10_000;

/**
 * Keeps the store small: every `retention.interval` (an unref'd timer, off the hot path) it prunes
 * events, finished messages and alerts past their age or count, in steps of at most `batch` rows
 * per table, yielding to the event loop between steps so deliveries and reports are never held up.
 * Pending and delivering messages, alert windows and the alert outbox are never touched.
 */
export class RetentionService implements Service {
	readonly name = 'retention';
	private timer?: NodeJS.Timeout;
	private running?: Promise<PruneCounts>;
	private stopped = false;

	constructor(private readonly context: ServiceContext, private readonly options: RetentionOptions = {}) {}

	async start(): Promise<void> {
		const {interval} = this.context.config.retention;
		this.schedule(this.options.firstDelay ?? Math.min(30_000, interval));
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.context.clock.clearTimeout(this.timer);
		await this.running;
	}

	/** Prune until nothing is past the policy (or the service stops); returns the rows deleted. */
	async prune(): Promise<PruneCounts> {
		this.running ??= this.pass().finally(() => {
			this.running = undefined;
		});
		return this.running;
	}

	private schedule(ms: number): void {
		if (this.stopped) {
			return;
		}

		this.timer = this.context.clock.setTimeout(() => {
			void this.prune().finally(() => {
				this.schedule(this.context.config.retention.interval);
			});
		}, ms);
		// A fake clock's handle may lack unref; the real one must not keep the process alive.
		this.timer?.unref?.();
	}

	private async pass(): Promise<PruneCounts> {
		const {store, clock, log, config} = this.context;
		const policy: RetentionPolicy = config.retention;
		const totals: PruneCounts = {events: 0, messages: 0, alerts: 0};
		try {
			for (let step = 0; step < maxStepsPerPass && !this.stopped && store.open; step++) {
				const counts = store.retention.step(policy, clock.now(), this.options.batch ?? 1000);
				totals.events += counts.events;
				totals.messages += counts.messages;
				totals.alerts += counts.alerts;
				if (counts.events + counts.messages + counts.alerts === 0) {
					break;
				}

				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}
		} catch (error) {
			// The next pass tries again; a busy or closing database must not stop the orchestrator.
			log.log('warn', `retention: pruning failed: ${errorText(error)}`);
		}

		if (totals.events + totals.messages + totals.alerts > 0) {
			log.log('info', `retention: pruned ${totals.events} event(s), ${totals.messages} message(s), ${totals.alerts} alert(s)`);
		}

		return totals;
	}
}
