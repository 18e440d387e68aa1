import type {CmuxEvent} from '../events.js';
import type {ServiceContext} from '../orchestrator.js';
import {supervisorName} from '../logs/targets.js';
import type {Alerter} from './alerter.js';

/**
 * Turns `agent.stale_removed` (a registered agent missing from tmux, found by the agents
 * feature's reconciliation) into an alert through the same path as log alerts, once per agent:
 * the agent must be registered or started again before it can alert again.
 */
export class DiscrepancyAlerts {
	private readonly alerted = new Set<string>();
	private readonly listener = (event: CmuxEvent) => {
		this.onEvent(event);
	};

	constructor(private readonly context: ServiceContext, private readonly alerter: Alerter) {}

	start(): void {
		this.context.orchestrator.on('event', this.listener);
	}

	stop(): void {
		this.context.orchestrator.off('event', this.listener);
	}

	private onEvent(event: CmuxEvent): void {
		if (event.type === 'agent.registered' || event.type === 'agent.started') {
			this.alerted.delete(event.agent);
			return;
		}

		if (event.type !== 'agent.stale_removed' || this.alerted.has(event.agent)) {
			return;
		}

		this.alerted.add(event.agent);
		const where = typeof event.window === 'string' ? ` (window ${event.window})` : '';
		const now = Date.parse(event.ts) || this.context.clock.now();
		void this.alerter.raise({
			file: `agent:${event.agent}`,
			count: 1,
			matches: [[`registered agent ${event.agent} is missing from tmux${where}; its registry entry was removed`]],
			firstAt: now,
			lastAt: now,
			title: `agent ${event.agent} is missing from tmux`,
		}, supervisorName(this.context.config));
	}
}
