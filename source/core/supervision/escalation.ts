import {WebhookQueue} from '../alerts/webhook.js';
import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
import {appendMessage} from '../mailbox/append.js';
import type {ServiceContext} from '../orchestrator.js';
import {actionsSince, recordAction} from './activity-store.js';

/** Actions that count against the recovery budgets (things done to an agent without being asked). */
const automatic = ['nudge', 'restart', 'approve', 'stop'];
const hourMs = 3_600_000;

/**
 * Escalation (event, supervisor's mailbox, webhook, journal) and the recovery budgets: automatic
 * actions per agent and per project per hour, and a circuit breaker after repeated failures.
 */
export class Escalation {
	private readonly webhook?: WebhookQueue;

	constructor(private readonly context: ServiceContext) {
		const {alerts} = context.config;
		if (alerts.webhook) {
			this.webhook = new WebhookQueue({url: alerts.webhook, timeout: alerts.webhookTimeout, log: context.log});
		}
	}

	/** The supervisor agents (mail about other agents goes to the first). */
	supervisors(): string[] {
		return this.context.config.agents.filter(agent => agent.type === 'supervisor').map(agent => agent.name);
	}

	/** Tell every channel: `agent.escalated`, the supervisor's mailbox (unless it is about the supervisor), the webhook, the journal. */
	async escalate(agent: string, reason: string, detail: Record<string, unknown> = {}, options: {everyChannel?: boolean} = {}): Promise<void> {
		const {context} = this;
		const text = `Agent ${agent} escalated: ${reason}${detail.state ? ` (state ${String(detail.state)})` : ''}.`;
		context.emit({type: 'agent.escalated', agent, reason, ...detail});
		recordAction(context.store, {agent, action: 'escalate', outcome: 'ok', detail: {reason, ...detail}});
		appendJournal(context.paths.journalDir, text);
		this.webhook?.enqueue({type: 'agent.escalated', agent, reason, ...detail, ts: new Date(context.clock.now()).toISOString()});
		const to = this.supervisors().find(name => name !== agent);
		if (to) {
			try {
				await appendMessage(context.paths.mailboxFile, {from: 'cmux-tui', to, subject: `escalation: ${agent} ${reason}`, body: text});
			} catch (error) {
				context.log.log('error', `cannot mail the escalation of ${agent} to ${to}: ${errorText(error)}`);
			}
		} else if (options.everyChannel) {
			context.log.log('error', text);
		}
	}

	/** Whether an automatic action on `agent` fits the budgets and the breaker is closed; why not, if not. */
	allowed(agent: string, now: number): {ok: true} | {ok: false; why: string} {
		const {supervision} = this.context.config;
		const since = new Date(now - hourMs).toISOString();
		const project = actionsSince(this.context.store, since, {actions: automatic, limit: supervision.recoveriesPerHour + 1});
		if (project.length >= supervision.recoveriesPerHour) {
			return {ok: false, why: `project budget of ${supervision.recoveriesPerHour} automatic recoveries per hour spent`};
		}

		const mine = project.filter(action => action.agent === agent);
		const all = actionsSince(this.context.store, since, {agent, actions: [...automatic, 'reset'], limit: 50});
		const reset = all.findIndex(action => action.action === 'reset');
		const afterReset = reset === -1 ? all : all.slice(0, reset);
		if (mine.length >= supervision.agentRecoveriesPerHour) {
			return {ok: false, why: `budget of ${supervision.agentRecoveriesPerHour} automatic recoveries per hour for ${agent} spent`};
		}

		const recent = afterReset.slice(0, supervision.breakerFailures);
		if (recent.length >= supervision.breakerFailures && recent.every(action => action.outcome === 'failed')) {
			return {ok: false, why: `circuit breaker open after ${supervision.breakerFailures} failed recoveries of ${agent} (recover reset ${agent} closes it)`};
		}

		return {ok: true};
	}

	stop(): void {
		void this.webhook?.stop();
	}
}
