import type {Clock} from '../clock.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {buildReport} from './report.js';

/** Events that never move the overall status (it reads agent states, service states and dead letters). */
const statusNeutral = new Set(['health.changed', 'message.received', 'message.delivered', 'message.retry', 'message.status', 'message.rejected', 'log.alert']);

export interface HealthWatchOptions {
	/** Wait after an event before recomputing, so a burst of events costs one report (ms). */
	debounceMs?: number;
	/**
	 * Safety net (ms): how often to look whether another process wrote to the store (`PRAGMA
	 * data_version`, a read of one counter); the report is rebuilt only when it did.
	 */
	safetyMs?: number;
}

/**
 * Recomputes the health report only when something it reads changed: shortly after an event that
 * can move the status, or when the safety net sees a write by another process. Emits
 * `health.changed` when the overall status moves. Idle, it costs one counter read per `safetyMs`.
 */
export class HealthWatch implements Service {
	readonly name = 'health-watch';
	/** How many times the report was rebuilt (for tests and benchmarks). */
	evaluations = 0;
	private timer?: NodeJS.Timeout;
	private pending?: NodeJS.Timeout;
	private last?: string;
	private dataVersion?: number;
	private stopped = false;
	private readonly clock: Clock;
	private readonly onEvent = (event: {type: string}) => {
		if (!statusNeutral.has(event.type)) {
			this.soon();
		}
	};

	constructor(private readonly context: ServiceContext, private readonly options: HealthWatchOptions = {}) {
		this.clock = context.clock;
	}

	async start(): Promise<void> {
		this.evaluate();
		this.context.orchestrator.on('event', this.onEvent);
		this.safetyNet();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.context.orchestrator.off('event', this.onEvent);
		this.clock.clearTimeout(this.timer);
		this.clock.clearTimeout(this.pending);
	}

	/** Recompute after the debounce (several events inside it make one report). */
	private soon(): void {
		this.pending ??= this.clock.setTimeout(() => {
			this.pending = undefined;
			this.evaluate();
		}, this.options.debounceMs ?? 100);
	}

	private safetyNet(): void {
		if (this.stopped) {
			return;
		}

		this.timer = this.clock.setTimeout(() => {
			// data_version moves only when another connection commits: our own writes come with events.
			if (this.readDataVersion() !== this.dataVersion) {
				this.soon();
			}

			this.safetyNet();
		}, this.options.safetyMs ?? 10_000);
		this.timer.unref?.();
	}

	private readDataVersion(): number {
		return this.context.store.db.pragma('data_version', {simple: true}) as number;
	}

	private evaluate(): void {
		this.evaluations++;
		this.dataVersion = this.readDataVersion();
		const report = buildReport(this.context.store, this.context.clock.now());
		if (this.last !== undefined && report.status !== this.last) {
			const reasons = (['orchestrator', 'agents', 'server', 'frontend', 'mailbox'] as const)
				.map(name => report[name].reason).filter(Boolean);
			this.context.emit({type: 'health.changed', status: report.status, previous: this.last, ...(reasons.length > 0 ? {reason: reasons.join('; ')} : {})});
		}

		this.last = report.status;
	}
}
