import {errorText} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {agentTarget} from '../supervision/pane-check.js';
import type {TaskRow} from '../store/tasks.js';
import {stateOf} from './book.js';
import type {Claim} from './completion.js';

/** Activity states in which an agent may be offered its next task. */
export const free = new Set(['idle', 'done', 'starting']);
/** How long an agent stays idle with work and no claim before that work is reported for review. */
const evidenceGraceMs = 3000;

/** What the tasks service lends: marker claims from a text, a claim, an agent's activity. */
export interface QuietHost {
	markers(agent: string, text: string): boolean;
	claim(claim: Claim): void;
	activityOf(agent: string): string | undefined;
}

/**
 * An agent went quiet with a task: a marker on its screen is a claim; work without a claim, once the
 * agent has stayed idle `evidenceGraceMs`, is claimed by evidence (and so goes to review).
 */
export class QuietWork {
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	constructor(private readonly context: ServiceContext, private readonly host: QuietHost) {}

	/** The agent is busy again: its quiet spell is over. */
	busy(agent: string): void {
		this.context.clock.clearTimeout(this.timers.get(agent));
		this.timers.delete(agent);
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers.values()) {
			this.context.clock.clearTimeout(timer);
		}
	}

	async idleWith(agent: string, task: TaskRow, state: string): Promise<void> {
		let screen = '';
		try {
			screen = (await this.context.tmux.run(['capture-pane', '-p', '-J', '-t', agentTarget(this.context.config, agent), '-S', '-50'])).join('\n');
		} catch (error) {
			this.context.log.log('debug', `reading the pane of ${agent}: ${errorText(error)}`);
		}

		if (this.host.markers(agent, screen) || state === 'waiting_input') {
			return;
		}

		// Work without a claim is looked at only after the agent has stayed idle a while: a claim
		// often follows its last file write by a moment (the end of the same turn).
		this.busy(agent);
		if (this.stopped) {
			return;
		}

		this.timers.set(agent, this.context.clock.setTimeout(() => {
			this.timers.delete(agent);
			if (this.stopped) {
				// The store is closed once the service stopped.
				return;
			}

			const fresh = this.context.store.tasks.get(task.id);
			const still = this.host.activityOf(agent);
			if (fresh && stateOf(fresh) === 'in_progress' && (still === undefined || free.has(still))) {
				this.host.claim({task: fresh.id, ok: true, method: 'evidence', by: agent, summary: fresh.updatedAt});
			}
		}, evidenceGraceMs));
	}
}
