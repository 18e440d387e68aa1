import type {Config} from '../config/schema.js';
import type {Paths} from '../config/paths.js';
import {StateError} from '../errors.js';
import type {EventInput} from '../events.js';
import {appendJournal} from '../journal/journal.js';
import {PaneDriver} from '../mailbox/pane.js';
import type {Store} from '../store/store.js';
import type {TmuxClient} from '../tmux/client.js';
import {activityRows, recordAction} from './activity-store.js';
import {keyCommand, kindKeys} from './keys.js';
import {agentTarget, PaneChecker} from './pane-check.js';
import type {ActivityState} from './states.js';

/** What an action on an agent's pane needs: the orchestrator's context, or a one-shot command's. */
export interface ActionContext {
	config: Config;
	paths: Paths;
	store: Store;
	tmux: TmuxClient;
	emit(event: EventInput): void;
}

/** Busy states a hook reports before the agent's screen shows them. */
const busyStates = new Set<ActivityState>(['working', 'waiting_approval']);

/**
 * The state an action sees: a fresh pane check, else (no pattern matched) the stored activity.
 * A busy state its hook reported less than `approvalHold` ago wins over a screen that still
 * looks idle: the agent runs its hook (UserPromptSubmit, PreToolUse) before it redraws, so for a
 * moment an agent that has just started work still shows its idle prompt.
 */
export async function currentState(context: ActionContext, agent: string, now = Date.now()): Promise<{state: ActivityState | undefined; how: 'pattern' | 'stored' | 'hook'}> {
	const checker = new PaneChecker(context.tmux, context.config);
	let found;
	try {
		found = await checker.check(agent);
	} catch (error) {
		throw new StateError(`agent ${agent} has no live pane (${agentTarget(context.config, agent)})`, {cause: error});
	}

	const stored = activityRows(context.store).find(row => row.agent === agent);
	if (found) {
		const fresh = stored?.source === 'hook' && busyStates.has(stored.state) && !busyStates.has(found.state)
			&& now - Date.parse(stored.since) < context.config.supervision.approvalHold;
		return fresh ? {state: stored.state, how: 'hook'} : {state: found.state, how: 'pattern'};
	}

	return {state: stored?.state, how: 'stored'};
}

/**
 * Nudge: type the configured message into the agent's prompt, like mail (literal delivery), but
 * only when the pane shows an idle prompt right now; never into a busy pane or an approval prompt.
 */
export async function nudgeAgent(context: ActionContext, agent: string, options: {manual: boolean; attempt?: number; message?: string; reason?: string}): Promise<void> {
	const {state, how} = await currentState(context, agent);
	if (state !== 'idle' && state !== 'done') {
		throw new StateError(`agent ${agent} is not at an idle prompt (${state ?? 'its screen matches no pattern'}${how === 'stored' ? ', last known' : how === 'hook' ? ', just reported by its hook' : ''}): not nudged`);
	}

	const driver = new PaneDriver(context.tmux);
	try {
		const pane = await driver.locate(agentTarget(context.config, agent));
		if (!pane) {
			throw new StateError(`agent ${agent} has no live pane`);
		}

		await driver.type(pane.pane, options.message ?? context.config.supervision.nudgeMessage);
	} finally {
		driver.close();
	}

	// `reason` says why when it is not the nudge ladder (e.g. `compact`: tasks.compactAt typed /compact).
	const detail = {manual: options.manual, ...(options.attempt ? {attempt: options.attempt} : {}), ...(options.reason ? {reason: options.reason} : {})};
	recordAction(context.store, {agent, action: 'nudge', outcome: 'ok', detail});
	context.emit({type: 'agent.nudged', agent, ...detail});
}

/** Answer an approval prompt with the keys the agent's kind expects; only while it shows one. */
export async function answerApproval(context: ActionContext, agent: string, answer: 'approve' | 'deny', options: {manual: boolean; reason?: string}): Promise<void> {
	const {state} = await currentState(context, agent);
	if (state !== 'waiting_approval') {
		throw new StateError(`agent ${agent} is not waiting for approval (${state ?? 'unknown'}): nothing to ${answer}`);
	}

	const kind = new PaneChecker(context.tmux, context.config).kind(agent);
	await context.tmux.run(keyCommand(agentTarget(context.config, agent), kindKeys[kind][answer]));
	recordAction(context.store, {agent, action: answer, outcome: 'ok', detail: {manual: options.manual, ...(options.reason ? {reason: options.reason} : {})}});
	appendJournal(context.paths.journalDir, `${answer === 'approve' ? 'Approved' : 'Denied'} the pending tool call of agent ${agent} ${options.manual ? 'by hand' : `automatically (${options.reason ?? 'allow-list'})`}.`);
}

/** Interrupt what the agent is doing (Esc for the agent programs, Ctrl-C for a generic one). */
export async function interruptAgent(context: ActionContext, agent: string): Promise<void> {
	const kind = new PaneChecker(context.tmux, context.config).kind(agent);
	try {
		await context.tmux.run(keyCommand(agentTarget(context.config, agent), kindKeys[kind].interrupt));
	} catch (error) {
		throw new StateError(`agent ${agent} has no live pane (${agentTarget(context.config, agent)})`, {cause: error});
	}

	recordAction(context.store, {agent, action: 'interrupt', outcome: 'ok', detail: {manual: true}});
}
