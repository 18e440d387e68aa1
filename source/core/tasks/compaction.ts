import fs from 'node:fs';
import {z} from 'zod';
import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
import type {ServiceContext} from '../orchestrator.js';
import {nudgeAgent} from '../supervision/actions.js';
import {contextFile} from '../supervision/wiring.js';
import type {TaskContext} from './book.js';
import {compactionRecovery, writeHandoff} from './handoff.js';
import type {Chains} from './serial.js';

/** The part of Claude Code's status line JSON that tells context use (all optional: older versions lack some). */
const statusSchema = z.object({
	context_window: z.object({
		used_percentage: z.number().nullish(),
		context_window_size: z.number().positive().nullish(),
		current_usage: z.object({
			input_tokens: z.number().nullish(),
			cache_creation_input_tokens: z.number().nullish(),
			cache_read_input_tokens: z.number().nullish(),
		}).nullish(),
	}).nullish(),
});

/**
 * Percent of the context window in use, from a status line JSON: `used_percentage` when given, else
 * the current usage's input tokens (plain, cache creation, cache read) over the window size.
 */
export function contextUse(text: string): number | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		// A half-written or foreign file: no figure, nothing done.
		return undefined;
	}

	const window = statusSchema.safeParse(value).data?.context_window;
	if (typeof window?.used_percentage === 'number') {
		return window.used_percentage;
	}

	const usage = window?.current_usage;
	if (!usage || !window?.context_window_size) {
		return undefined;
	}

	return ((usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)) * 100 / window.context_window_size;
}

/** A compaction is asked at most once in this long per agent, whatever the status line says. */
const compactCooldownMs = 60_000;
/** How long an agent stays idle before /compact is typed: its screen settles after the Stop hooks ran. */
const settleMs = 1500;

/**
 * Compaction: the hand-off before it (`PreCompact` hook), the recovery message after it
 * (`SessionStart` with source `compact`), and, with `tasks.compactAt`, `/compact` typed into an idle
 * Claude Code agent whose status line says its context use passed the mark. Typed through the nudge
 * path (only into a pane that shows its idle prompt right now); asked again only after a newer status
 * line and the cooldown, so a stale figure never loops.
 */
export class Compaction {
	/** When /compact was last typed into each agent. */
	private readonly asked = new Map<string, number>();
	/** Agents with a /compact on its way (one at a time). */
	private readonly pending = new Set<string>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	constructor(private readonly tasks: TaskContext, private readonly context: ServiceContext, private readonly chains: Chains, private readonly activityOf: (agent: string) => string | undefined) {}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers.values()) {
			this.context.clock.clearTimeout(timer);
		}
	}

	hook(agent: string, event: string, payload: Record<string, unknown>): void {
		if (event === 'PreCompact') {
			void this.chains.run(`agent:${agent}`, async () => writeHandoff(this.tasks, this.context.tmux, agent, 'pre-compact'));
		} else if (event === 'SessionStart' && payload.source === 'compact') {
			void this.chains.run(`agent:${agent}`, async () => compactionRecovery(this.tasks, agent));
		}
	}

	/** The agent went idle: once it has stayed so a moment, compact it when its context use passed `tasks.compactAt`. */
	idle(agent: string): void {
		const mark = this.context.config.tasks.compactAt;
		if (this.stopped || mark === undefined || this.context.config.agents.find(entry => entry.name === agent)?.kind !== 'claude') {
			return;
		}

		this.context.clock.clearTimeout(this.timers.get(agent));
		this.timers.set(agent, this.context.clock.setTimeout(() => {
			this.timers.delete(agent);
			const state = this.activityOf(agent);
			if (!this.stopped && (state === 'idle' || state === 'done')) {
				this.check(agent, mark);
			}
		}, settleMs));
	}

	private check(agent: string, mark: number): void {
		const file = contextFile(this.context.paths.root, agent);
		let written: number;
		let use: number | undefined;
		try {
			written = fs.statSync(file).mtimeMs;
			use = contextUse(fs.readFileSync(file, 'utf8'));
		} catch {
			// No status line yet (no API call so far): nothing to measure.
			return;
		}

		const last = this.asked.get(agent);
		const now = this.tasks.now();
		if (use === undefined || use < mark || this.pending.has(agent) || (last !== undefined && (written <= last || now - last < compactCooldownMs))) {
			return;
		}

		this.pending.add(agent);
		void this.chains.run(`agent:${agent}`, async () => {
			try {
				await nudgeAgent(this.context, agent, {manual: false, message: '/compact', reason: 'compact'});
				this.asked.set(agent, this.tasks.now());
				appendJournal(this.context.paths.journalDir, `compacting ${agent}: its context is ${Math.round(use)}% used (compactAt ${mark}%)`);
			} catch (error) {
				// Busy again, or at an approval prompt: nothing typed; its next idle tries again.
				this.context.log.log('info', `not compacting ${agent}: ${errorText(error)}`);
			} finally {
				this.pending.delete(agent);
			}
		});
	}
}
