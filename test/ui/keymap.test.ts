import test from 'ava';
import type {Key} from 'ink';
import {apiCommands} from '../../source/core/api.js';
import {bindingsFor, keyLabel, keymap, resolveKey} from '../../source/ui/keymap.js';

const none: Key = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};

test('k kills in the agents pane and selects up elsewhere', t => {
	t.like(resolveKey('k', none, 'agents'), {kind: 'command', command: 'kill'});
	t.like(resolveKey('k', none, 'mailbox'), {kind: 'command', command: 'up'});
	t.like(resolveKey('k', none, 'alerts'), {kind: 'command', command: 'up'});
});

test('arrows, j and tab resolve in every pane', t => {
	t.like(resolveKey('', {...none, upArrow: true}, 'agents'), {command: 'up'});
	t.like(resolveKey('', {...none, downArrow: true}, 'health'), {command: 'down'});
	t.like(resolveKey('j', none, 'agents'), {command: 'down'});
	t.like(resolveKey('\t', {...none, tab: true}, 'mailbox'), {command: 'next-pane'});
	t.like(resolveKey('3', none, 'mailbox'), {command: 'jump-pane', input: '3'});
});

test('agent keys outside the agents pane say where they work', t => {
	const resolved = resolveKey('r', none, 'mailbox');
	t.is(resolved.kind, 'wrong-pane');
	t.is(resolved.kind === 'wrong-pane' ? resolved.binding.command : undefined, 'restart');
});

test('K, q and Q are distinct from k', t => {
	t.like(resolveKey('K', none, 'agents'), {command: 'force-kill'});
	t.like(resolveKey('q', none, 'alerts'), {command: 'quit'});
	t.like(resolveKey('Q', none, 'alerts'), {command: 'stop-all'});
});

test('a key with ctrl held is not a command', t => {
	t.is(resolveKey('q', {...none, ctrl: true}, 'agents').kind, 'none');
});

test('the keymap covers every key in the spec', t => {
	const labels = keymap.map(binding => keyLabel(binding)).join(' ');
	for (const key of ['↑', '↓', 'j', 'k', 'tab', '1-4', 'enter', 'a', 'K', 'r', 'n', 's', '/', '?', 'q', 'Q']) {
		t.true(labels.split(/[ /]/).includes(key) || labels.includes(key), key);
	}
});

test('every control a key needs is a command of the api', t => {
	for (const binding of keymap) {
		t.true(!binding.needs || binding.needs in apiCommands, `${binding.command} needs ${binding.needs}`);
	}
});

test('no two bindings share a key in the same pane', t => {
	const panes = ['agents', 'mailbox', 'alerts', 'health'] as const;
	for (const pane of panes) {
		const taken = new Map<string, string>();
		for (const binding of keymap.filter(binding => !binding.panes || binding.panes.includes(pane))) {
			for (const matcher of binding.keys) {
				const id = matcher.special ?? matcher.input!;
				t.is(taken.get(id) ?? binding.command, binding.command, `${id} in ${pane}`);
				taken.set(id, binding.command);
			}
		}
	}
});

test('n, y, x and i are the agents pane\'s nudge, approve, deny and interrupt; approve and deny show only while waiting for approval', t => {
	t.like(resolveKey('n', none, 'agents'), {command: 'nudge'});
	t.like(resolveKey('y', none, 'agents'), {command: 'approve'});
	t.like(resolveKey('x', none, 'agents'), {command: 'deny'});
	t.like(resolveKey('i', none, 'agents'), {command: 'interrupt'});
	t.is(resolveKey('y', none, 'mailbox').kind, 'wrong-pane');
	const all = {has: () => true};
	const shown = (state?: 'waiting_approval' | 'working') => bindingsFor('agents', all, state).map(binding => binding.command);
	t.false(shown().includes('approve'));
	t.false(shown('working').includes('deny'));
	t.true(shown('waiting_approval').includes('approve'));
	t.true(shown('waiting_approval').includes('deny'));
	t.true(shown().includes('nudge') && shown().includes('interrupt'));
});
