import type {Service, ServiceContext} from '../orchestrator.js';
import {buildReport} from './report.js';

/**
 * Recomputes the report shortly after events and every `interval`, and emits `health.changed`
 * when the overall status moves. Also keeps the orchestrator's own row alive in the store.
 */
export class HealthWatch implements Service {
	readonly name = 'health-watch';
	private timer?: NodeJS.Timeout;
	private pending?: NodeJS.Timeout;
	private last?: string;
	private readonly onEvent = (event: {type: string}) => {
		if (event.type !== 'health.changed' && !this.pending) {
			this.pending = setTimeout(() => {
				this.pending = undefined;
				this.evaluate();
			}, 100);
		}
	};

	constructor(private readonly context: ServiceContext, private readonly interval = 2000) {}

	async start(): Promise<void> {
		this.evaluate();
		this.context.orchestrator.on('event', this.onEvent);
		this.timer = setInterval(() => {
			this.evaluate();
		}, this.interval);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		this.context.orchestrator.off('event', this.onEvent);
		clearInterval(this.timer);
		clearTimeout(this.pending);
	}

	private evaluate(): void {
		const report = buildReport(this.context.store, this.context.clock.now());
		if (this.last !== undefined && report.status !== this.last) {
			const reasons = (['orchestrator', 'agents', 'server', 'frontend', 'mailbox'] as const)
				.map(name => report[name].reason).filter(Boolean);
			this.context.emit({type: 'health.changed', status: report.status, previous: this.last, ...(reasons.length > 0 ? {reason: reasons.join('; ')} : {})});
		}

		this.last = report.status;
	}
}
