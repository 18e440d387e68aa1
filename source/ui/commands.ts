import type {Dispatch} from 'react';
import {errorText} from '../core/errors.js';
import type {Api, CommandName} from '../core/api.js';
import {appendMessage} from '../core/mailbox/append.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {helpLines} from './data/help.js';
import {helpTitle} from './input/footer.js';
import {agentDetails, alertDetails, messageDetails} from './data/details.js';
import type {PaneRows} from './data/rows.js';
import type {Command} from './keymap.js';
import type {SendForm} from './state/send-form.js';
import {agentColumns, alertColumns, messageColumns} from './panes/columns.js';
import {paneOrder, selectedIndex, type PendingAction, type UiAction, type UiState} from './state/ui-state.js';

/** How the TUI ended: `quit` leaves agents running, `stop-all` asks the caller to stop everything. */
export type UiResult = 'quit' | 'stop-all';

/** What a command needs to act. */
export interface CommandContext {
	state: UiState;
	rows: PaneRows;
	orchestrator: Orchestrator;
	dispatch: Dispatch<UiAction>;
	exit(result: UiResult): void;
	/** How many pane lines `enter` on an agent asks for. */
	detailLines: number;
}

const notAvailable = (what: string) => `${what} is not available (no running service provides it)`;

/** Run a keymap command: UI-only commands dispatch, the others call the orchestrator's API. */
export function runCommand(command: Command, input: string, context: CommandContext): void {
	const {state, rows, dispatch} = context;
	const count = state.focus === 'health' ? 0 : rows[state.focus].length;
	switch (command) {
		case 'up':
		case 'down': {
			dispatch({type: 'move', delta: command === 'up' ? -1 : 1, count});
			return;
		}

		case 'next-pane': {
			dispatch({type: 'next-pane'});
			return;
		}

		case 'jump-pane': {
			dispatch({type: 'focus', pane: paneOrder[Number(input) - 1] ?? 'agents'});
			return;
		}

		case 'help': {
			dispatch({type: 'details', title: helpTitle, lines: helpLines(context.orchestrator.api)});
			return;
		}

		case 'sort':
		case 'reverse-sort': {
			const columns = {agents: agentColumns.length, mailbox: messageColumns.length, alerts: alertColumns.length, health: 0}[state.focus];
			dispatch({type: 'sort', columns, reverse: command === 'reverse-sort'});
			return;
		}

		case 'filter': {
			dispatch(state.focus === 'health' ? {type: 'notice', text: 'the health pane has no rows to filter'} : {type: 'open-filter'});
			return;
		}

		case 'quit': {
			context.exit('quit');
			return;
		}

		case 'stop-all': {
			dispatch(context.orchestrator.api.has('stopAll')
				? {type: 'confirm', question: 'Stop everything this project started (server, agents, session) and quit?', action: {kind: 'stop-all'}}
				: {type: 'notice', text: notAvailable('stop everything')});
			return;
		}

		case 'send': {
			const agent = state.focus === 'agents' ? rows.agents[selectedIndex(state, 'agents', rows.agents.length)]?.item.name : undefined;
			dispatch({type: 'open-send', to: agent ?? ''});
			return;
		}

		case 'details': {
			showDetails(context);
			return;
		}

		case 'attach':
		case 'kill':
		case 'force-kill':
		case 'restart':
		case 'nudge':
		case 'approve':
		case 'deny':
		case 'interrupt': {
			agentCommand(command, context);
		}
	}
}

function showDetails(context: CommandContext): void {
	const {state, rows, dispatch} = context;
	const show = (promise: Promise<{title: string; lines: string[]}>, follow: 'top' | 'bottom' = 'top') => {
		void promise.then(details => {
			dispatch({type: 'details', title: details.title, lines: details.lines, follow});
		});
	};

	if (state.focus === 'agents') {
		const agent = rows.agents[selectedIndex(state, 'agents', rows.agents.length)]?.item;
		if (agent) {
			dispatch({type: 'notice', text: `reading ${agent.name}'s pane…`});
			// A pane's newest lines are at its end: show those first.
			show(agentDetails(agent, context.orchestrator.api, context.detailLines).finally(() => {
				dispatch({type: 'notice', text: undefined});
			}), 'bottom');
		}
	} else if (state.focus === 'mailbox') {
		const message = rows.mailbox[selectedIndex(state, 'mailbox', rows.mailbox.length)]?.item;
		if (message) {
			// The view keeps no bodies: the whole row is read when asked for (one primary-key lookup).
			const {store} = context.orchestrator.context;
			const full = store.open ? store.messages.get(message.id) : undefined;
			show(Promise.resolve(messageDetails(full ?? message)));
		}
	} else if (state.focus === 'alerts') {
		const alert = rows.alerts[selectedIndex(state, 'alerts', rows.alerts.length)]?.item;
		if (alert) {
			show(alertDetails(alert));
		}
	}
}

type AgentCommand = 'attach' | 'kill' | 'force-kill' | 'restart' | 'nudge' | 'approve' | 'deny' | 'interrupt';
type Confirmed = Exclude<AgentCommand, 'attach' | 'nudge'>;

interface AgentCommandSpec {
	api: CommandName;
	label: string;
	doing: string;
	done: string;
	/** The question, and whether it is asked `always` or unless ui.confirm is false. */
	ask?: {question: (agent: string) => string; when: 'always' | 'configured'};
	call(api: Api, name: string): Promise<unknown>;
}

const agentCommands: Record<AgentCommand, AgentCommandSpec> = {
	// After a switch the TUI is out of sight: the way back is tmux's own "last session" (or window).
	attach: {api: 'agents.attach', label: 'attach', doing: 'attaching to', done: 'switched to', call: async (api, name) => api.call('agents.attach', {name})},
	kill: {api: 'agents.kill', label: 'kill', doing: 'killing', done: 'killed', ask: {question: agent => `Kill ${agent} and its whole process tree?`, when: 'always'}, call: async (api, name) => api.call('agents.kill', {name, force: false})},
	// SPEC: `K` kills without asking.
	'force-kill': {api: 'agents.kill', label: 'kill', doing: 'force-killing', done: 'killed', call: async (api, name) => api.call('agents.kill', {name, force: true})},
	restart: {api: 'agents.restart', label: 'restart', doing: 'restarting', done: 'restarted', ask: {question: agent => `Restart ${agent} (its current work is stopped)?`, when: 'configured'}, call: async (api, name) => api.call('agents.restart', {name})},
	nudge: {api: 'agents.nudge', label: 'nudge', doing: 'nudging', done: 'nudged', call: async (api, name) => api.call('agents.nudge', {name})},
	approve: {api: 'recover.approve', label: 'approve', doing: 'approving the pending tool call of', done: 'approved the pending tool call of', ask: {question: agent => `Approve ${agent}'s pending tool call?`, when: 'configured'}, call: async (api, name) => api.call('recover.approve', {name})},
	deny: {api: 'recover.deny', label: 'deny', doing: 'denying the pending tool call of', done: 'denied the pending tool call of', ask: {question: agent => `Deny ${agent}'s pending tool call?`, when: 'always'}, call: async (api, name) => api.call('recover.deny', {name})},
	interrupt: {api: 'recover.interrupt', label: 'interrupt', doing: 'interrupting', done: 'interrupted', ask: {question: agent => `Interrupt what ${agent} is doing?`, when: 'always'}, call: async (api, name) => api.call('recover.interrupt', {name})},
};

/** What the notice says after a successful attach: how to come back. */
export const attachReturnHint = 'back to this TUI: tmux prefix then L (last session), or l (last window) when it runs in the same session';

function agentCommand(command: AgentCommand, context: CommandContext): void {
	const {state, rows, dispatch, orchestrator} = context;
	const agent = rows.agents[selectedIndex(state, 'agents', rows.agents.length)]?.item.name;
	const spec = agentCommands[command];
	if (!orchestrator.api.has(spec.api)) {
		dispatch({type: 'notice', text: notAvailable(spec.label)});
		return;
	}

	if (!agent) {
		dispatch({type: 'notice', text: 'no agent selected'});
		return;
	}

	// `k`, deny and interrupt always ask; `r` and approve ask unless ui.confirm is false; `K` never does.
	if (spec.ask && (spec.ask.when === 'always' || orchestrator.context.config.ui.confirm)) {
		dispatch({type: 'confirm', question: spec.ask.question(agent), action: {kind: command as Confirmed, agent}});
		return;
	}

	const done = command === 'attach' ? `${spec.done} ${agent} · ${attachReturnHint}` : `${spec.done} ${agent}`;
	track(dispatch, `${spec.doing} ${agent}`, done, async () => spec.call(orchestrator.api, agent));
}

/** Run the action a confirmed dialog asked about. */
export function runConfirmed(action: PendingAction, context: Pick<CommandContext, 'orchestrator' | 'dispatch' | 'exit'>): void {
	const {dispatch, orchestrator} = context;
	dispatch({type: 'close-overlay'});
	if (action.kind === 'stop-all') {
		// The caller (`cmux-tui run`) calls the stopAll command once the UI is gone.
		context.exit('stop-all');
		return;
	}

	const spec = agentCommands[action.kind];
	if (!orchestrator.api.has(spec.api)) {
		dispatch({type: 'notice', text: notAvailable(spec.label)});
		return;
	}

	track(dispatch, `${spec.doing} ${action.agent}`, `${spec.done} ${action.agent}`, async () => spec.call(orchestrator.api, action.agent));
}

/** Show `doing` while `work` runs, then `done` or the error. */
function track(dispatch: Dispatch<UiAction>, doing: string, done: string, work: () => Promise<unknown>): void {
	dispatch({type: 'notice', text: `${doing}…`});
	void (async () => {
		try {
			await work();
			dispatch({type: 'notice', text: done});
		} catch (error) {
			dispatch({type: 'notice', text: `${doing} failed: ${errorText(error)}`});
		}
	})();
}

/**
 * Send the dialog's message from `user` through the `send` command: the mailbox service's when it
 * runs, else the direct one (appended to the mailbox file; the mailbox service ingests it when it starts).
 */
export async function submitMessage(form: SendForm, orchestrator: Orchestrator): Promise<void> {
	const message = {from: 'user', to: form.to.trim(), subject: form.subject.trim(), ...(form.body === '' ? {} : {body: form.body})};
	if (orchestrator.api.has('send')) {
		await orchestrator.api.call('send', message);
		return;
	}

	await appendMessage(orchestrator.context.paths.mailboxFile, message, {lockFile: orchestrator.context.config.mailbox.lockFile});
}
