import type {Key} from 'ink';
import type {PaneId} from './state/ui-state.js';

/** What a key does. Input handling, the footer and the help overlay all read `keymap`. */
export type Command =
	| 'up' | 'down' | 'next-pane' | 'jump-pane' | 'details' | 'attach' | 'kill' | 'force-kill'
	| 'restart' | 'send' | 'filter' | 'help' | 'quit' | 'stop-all';

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
}

const key = (label: string, input = label): KeyMatcher => ({label, input});

/** The one key-binding table (SPEC "Keys in the TUI"). */
export const keymap: readonly KeyBinding[] = [
	{command: 'up', keys: [{label: '↑', special: 'upArrow'}, key('k')], hint: 'up', description: 'select the previous row (k kills in the agents pane: use ↑ there)'},
	{command: 'down', keys: [{label: '↓', special: 'downArrow'}, key('j')], hint: 'down', description: 'select the next row'},
	{command: 'next-pane', keys: [{label: 'tab', special: 'tab'}], hint: 'pane', description: 'focus the next pane'},
	{command: 'jump-pane', keys: [key('1'), key('2'), key('3'), key('4')], hint: 'jump', description: 'jump to a pane: 1 agents, 2 mailbox, 3 alerts, 4 health'},
	{command: 'details', keys: [{label: 'enter', special: 'return'}], hint: 'details', description: 'details: an agent\'s last pane lines, the whole message, the alert\'s lines'},
	{command: 'attach', keys: [key('a')], hint: 'attach', description: 'attach: switch the tmux client to the agent\'s window', panes: ['agents']},
	{command: 'kill', keys: [key('k')], hint: 'kill', description: 'kill the agent\'s whole process tree (asks to confirm)', panes: ['agents']},
	{command: 'force-kill', keys: [key('K')], hint: 'kill now', description: 'kill the agent at once, without asking (force)', panes: ['agents']},
	{command: 'restart', keys: [key('r')], hint: 'restart', description: 'restart the selected agent', panes: ['agents']},
	{command: 'send', keys: [key('s')], hint: 'send', description: 'send a message (to, subject, body)'},
	{command: 'filter', keys: [key('/')], hint: 'filter', description: 'filter the focused pane\'s rows (esc clears)'},
	{command: 'help', keys: [key('?')], hint: 'help', description: 'show or hide this help'},
	{command: 'quit', keys: [key('q')], hint: 'quit', description: 'quit the TUI (agents keep running in tmux)'},
	{command: 'stop-all', keys: [key('Q')], hint: 'stop all', description: 'stop everything (server, agents, session), quit (asks first)'},
];

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

/** Map a key press in `pane` to a command. Pane-specific bindings are tried first. */
export function resolveKey(input: string, pressed: Key, pane: PaneId): Resolved {
	const ordered = [...keymap.filter(binding => binding.panes), ...keymap.filter(binding => !binding.panes)];
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

/** `↑/k` style label of a binding's keys. */
export function keyLabel(binding: KeyBinding): string {
	if (binding.command === 'jump-pane') {
		return '1-4';
	}

	return binding.keys.map(matcher => matcher.label).join('/');
}
