import type {Key} from 'ink';
import type {Api, CommandName} from '../core/api.js';
import type {ActivityState} from './data/activity.js';
import type {PaneId} from './state/ui-state.js';

/** What a key does. Input handling, the footer and the help overlay all read `keymap`. */
export type Command =
	| 'up' | 'down' | 'next-pane' | 'jump-pane' | 'details' | 'attach' | 'kill' | 'force-kill'
	| 'restart' | 'nudge' | 'approve' | 'deny' | 'interrupt' | 'send' | 'filter' | 'sort' | 'reverse-sort'
	| 'help' | 'quit' | 'stop-all';

/** One key of a binding: a printable `input` or one of Ink's special keys. */
export interface KeyMatcher {
	label: string;
	input?: string;
	special?: 'upArrow' | 'downArrow' | 'tab' | 'return';
}

export interface KeyBinding {
	command: Command;
	keys: readonly KeyMatcher[];
	/** Short text for the footer. */
	hint: string;
	/** Full text for the help overlay. */
	description: string;
	/** Only in these panes; a pane-specific binding wins over a global one with the same key. */
	panes?: readonly PaneId[];
	/** The control it calls: without it the key is not bound at all (not in input, footer or help). */
	needs?: CommandName;
	/** Shown in the footer only when the terminal has room (after every other hint). */
	minor?: boolean;
	/** Shown in the footer only while the selected agent is in this activity state (the key works in any: the command says why it refuses). */
	shownWhen?: ActivityState;
}

const key = (label: string, input = label): KeyMatcher => ({label, input});

/** The one key-binding table (SPEC "Keys in the TUI"). */
export const keymap: readonly KeyBinding[] = [
	{command: 'up', keys: [{label: '↑', special: 'upArrow'}, key('k')], hint: 'up', description: 'select the previous row (k kills in the agents pane: use ↑ there)', panes: ['mailbox', 'alerts'], minor: true},
	{command: 'up', keys: [{label: '↑', special: 'upArrow'}], hint: 'up', description: 'select the previous row', panes: ['agents', 'health'], minor: true},
	{command: 'down', keys: [{label: '↓', special: 'downArrow'}, key('j')], hint: 'down', description: 'select the next row', minor: true},
	{command: 'next-pane', keys: [{label: 'tab', special: 'tab'}], hint: 'pane', description: 'focus the next pane (the next tab on small terminals)'},
	{command: 'jump-pane', keys: [key('1'), key('2'), key('3'), key('4')], hint: 'jump', description: 'jump to a pane: 1 agents, 2 mailbox, 3 alerts, 4 health', minor: true},
	{command: 'details', keys: [{label: 'enter', special: 'return'}], hint: 'details', description: 'details: an agent\'s last pane lines, the whole message, the alert\'s lines', panes: ['agents', 'mailbox', 'alerts']},
	{command: 'approve', keys: [key('y')], hint: 'approve', description: 'approve the pending tool call of an agent waiting for approval (asks unless ui.confirm is false)', panes: ['agents'], needs: 'recover.approve', shownWhen: 'waiting_approval'},
	{command: 'deny', keys: [key('x')], hint: 'deny', description: 'deny the pending tool call of an agent waiting for approval (asks to confirm)', panes: ['agents'], needs: 'recover.deny', shownWhen: 'waiting_approval'},
	{command: 'attach', keys: [key('a')], hint: 'attach', description: 'attach: switch the tmux client to the agent\'s window (back: tmux prefix L, or l in the same session)', panes: ['agents'], needs: 'agents.attach'},
	{command: 'kill', keys: [key('k')], hint: 'kill', description: 'kill the agent\'s whole process tree (asks to confirm)', panes: ['agents'], needs: 'agents.kill'},
	{command: 'force-kill', keys: [key('K')], hint: 'force', description: 'kill the agent with force at once, as agents kill --force (never asks)', panes: ['agents'], needs: 'agents.kill'},
	{command: 'restart', keys: [key('r')], hint: 'restart', description: 'restart the selected agent (asks unless ui.confirm is false)', panes: ['agents'], needs: 'agents.restart'},
	{command: 'nudge', keys: [key('n')], hint: 'nudge', description: 'nudge the agent now (only into an idle prompt)', panes: ['agents'], needs: 'agents.nudge'},
	{command: 'interrupt', keys: [key('i')], hint: 'interrupt', description: 'interrupt what the agent is doing: Esc, or Ctrl-C for a generic agent (asks to confirm)', panes: ['agents'], needs: 'recover.interrupt'},
	{command: 'send', keys: [key('s')], hint: 'send', description: 'send a message (to, subject, body)'},
	{command: 'filter', keys: [key('/')], hint: 'filter', description: 'filter the focused pane\'s rows (esc clears)', panes: ['agents', 'mailbox', 'alerts']},
	{command: 'sort', keys: [key('o')], hint: 'sort', description: 'sort by the next column (agents start sorted by who needs you; o again moves on)', panes: ['agents', 'mailbox', 'alerts'], minor: true},
	{command: 'reverse-sort', keys: [key('O')], hint: 'reverse', description: 'reverse the sort order', panes: ['agents', 'mailbox', 'alerts'], minor: true},
	{command: 'help', keys: [key('?')], hint: 'help', description: 'show or hide this help'},
	{command: 'quit', keys: [key('q')], hint: 'quit', description: 'quit the TUI (agents keep running in tmux)'},
	{command: 'stop-all', keys: [key('Q')], hint: 'stop all', description: 'stop everything (server, agents, session), quit (asks first)', needs: 'stopAll', minor: true},
];

/** The bindings that work now: those whose API command a running service provides. */
export function activeKeymap(api: Pick<Api, 'has'>): KeyBinding[] {
	return keymap.filter(binding => !binding.needs || api.has(binding.needs));
}

/** The bindings valid in `pane` (what the footer offers there); `selected` is the selected agent's activity state. */
export function bindingsFor(pane: PaneId, api: Pick<Api, 'has'>, selected?: ActivityState): KeyBinding[] {
	return activeKeymap(api).filter(binding => (!binding.panes || binding.panes.includes(pane)) && (!binding.shownWhen || binding.shownWhen === selected));
}

function matches(matcher: KeyMatcher, input: string, pressed: Key): boolean {
	if (matcher.special) {
		return pressed[matcher.special];
	}

	return !pressed.ctrl && !pressed.meta && input === matcher.input;
}

/** The result of a key press: a command, or a pane-specific command pressed in another pane. */
export type Resolved =
	| {kind: 'command'; command: Command; input: string}
	| {kind: 'wrong-pane'; binding: KeyBinding}
	| {kind: 'none'};

/** Map a key press in `pane` to a command. Pane-specific bindings are tried first; unbound controls never match. */
export function resolveKey(input: string, pressed: Key, pane: PaneId, api: Pick<Api, 'has'> = everyCommand): Resolved {
	const active = activeKeymap(api);
	const ordered = [...active.filter(binding => binding.panes), ...active.filter(binding => !binding.panes)];
	let elsewhere: KeyBinding | undefined;
	for (const binding of ordered) {
		if (!binding.keys.some(matcher => matches(matcher, input, pressed))) {
			continue;
		}

		if (!binding.panes || binding.panes.includes(pane)) {
			return {kind: 'command', command: binding.command, input};
		}

		elsewhere ??= binding;
	}

	return elsewhere ? {kind: 'wrong-pane', binding: elsewhere} : {kind: 'none'};
}

/** For callers that only map keys (tests): every control counts as provided. */
const everyCommand: Pick<Api, 'has'> = {has: () => true};

/** `↑/k` style label of a binding's keys. */
export function keyLabel(binding: KeyBinding): string {
	if (binding.command === 'jump-pane') {
		return '1-4';
	}

	return binding.keys.map(matcher => matcher.label).join('/');
}
