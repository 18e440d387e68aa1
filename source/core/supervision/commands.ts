import type {Handlers, RecoverResult} from '../api.js';
import {StateError, UsageError} from '../errors.js';
import {answerApproval, interruptAgent, nudgeAgent, type ActionContext} from './actions.js';
import {activityRows, recordAction} from './activity-store.js';
import {agentTarget} from './pane-check.js';

/** What the recover commands need besides the pane: restart and kill through the agents' owner. */
export interface RecoverHost {
	restart(name: string, resume?: string): Promise<unknown>;
	kill(name: string): Promise<unknown>;
	/** Forget the agent's activity and supervision state (the orchestrator also resets its machine). */
	reset(name: string): void;
}

const done = (agent: string, action: string, text: string): RecoverResult => ({agent, action, text});

/**
 * The supervision commands (agents.nudge and recover.*), one implementation for the running
 * orchestrator and the direct CLI: they differ only in `host`.
 */
export function supervisionCommands(context: ActionContext, host: RecoverHost): Handlers {
	const known = (name: string) => {
		if (!context.config.agents.some(agent => agent.name === name) && !context.store.agents.has(name)) {
			throw new StateError(`unknown agent ${name} (not in the config and never registered)`);
		}
	};

	const nudge = async ({name}: {name: string}) => {
		known(name);
		await nudgeAgent(context, name, {manual: true});
		return done(name, 'nudge', `nudged ${name}`);
	};

	return {
		'agents.nudge': nudge,
		'recover.nudge': nudge,
		async 'recover.interrupt'({name}) {
			known(name);
			await interruptAgent(context, name);
			return done(name, 'interrupt', `interrupted ${name}`);
		},
		async 'recover.approve'({name}) {
			known(name);
			await answerApproval(context, name, 'approve', {manual: true});
			return done(name, 'approve', `approved the pending tool call of ${name}`);
		},
		async 'recover.deny'({name}) {
			known(name);
			await answerApproval(context, name, 'deny', {manual: true});
			return done(name, 'deny', `denied the pending tool call of ${name}`);
		},
		async 'recover.restart'({name, resume}) {
			known(name);
			let session: string | undefined;
			if (resume) {
				const kind = context.config.agents.find(agent => agent.name === name)?.kind;
				if (kind !== 'claude') {
					throw new UsageError(`recover restart --resume: agent ${name} is not a claude agent (kind ${kind ?? 'generic'}); only Claude Code resumes a session by id`);
				}

				const detail = activityRows(context.store).find(row => row.agent === name)?.detail;
				session = typeof detail?.session_id === 'string' ? detail.session_id : undefined;
				if (!session) {
					throw new StateError(`agent ${name} has reported no session id (no SessionStart hook yet): restart it without --resume`);
				}
			}

			await host.restart(name, session);
			recordAction(context.store, {agent: name, action: 'restart', outcome: 'ok', detail: {manual: true, ...(session ? {resume: session} : {})}});
			return done(name, 'restart', `restarted ${name}${session ? ` resuming session ${session}` : ''}`);
		},
		async 'recover.reset'({name}) {
			known(name);
			recordAction(context.store, {agent: name, action: 'reset', outcome: 'ok', detail: {manual: true}});
			host.reset(name);
			return done(name, 'reset', `reset the supervision state of ${name} (nudges, escalations, breaker)`);
		},
		async 'recover.kill-zombie'({name}) {
			known(name);
			const lines = await context.tmux.run(['list-panes', '-t', agentTarget(context.config, name), '-F', '#{pane_dead}'])
				// A pane tmux cannot list counts as a zombie: the kill below acts only on what carries the agent's cookie.
				.catch(() => undefined);
			const activity = activityRows(context.store).find(row => row.agent === name)?.state;
			const zombie = lines === undefined || lines.includes('1') || activity === 'exited' || context.store.agents.states().get(name)?.state === 'zombie';
			if (!zombie) {
				throw new StateError(`agent ${name} is alive (its pane runs and it is ${activity ?? 'active'}): not a zombie; use agents kill to stop it`);
			}

			await host.kill(name);
			recordAction(context.store, {agent: name, action: 'kill-zombie', outcome: 'ok', detail: {manual: true}});
			return done(name, 'kill-zombie', `killed what was left of ${name}`);
		},
	};
}
