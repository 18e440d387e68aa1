import test from 'ava';
import type {Key} from 'ink';
import {keyLabel, keymap, resolveKey} from '../../source/ui/keymap.js';

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
