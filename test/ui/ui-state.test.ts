import test from 'ava';
import {splitInput} from '../../source/ui/input/split-input.js';
import {sendFormProblem, sendFormReducer, emptySendForm} from '../../source/ui/state/send-form.js';
import {followTail, initialUiState, selectedIndex, uiReducer, type UiAction, type UiState} from '../../source/ui/state/ui-state.js';

const run = (...actions: UiAction[]): UiState => actions.reduce(uiReducer, initialUiState);

test('tab walks the panes in order and wraps around', t => {
	const focus = [1, 2, 3, 4].map(n => run(...Array.from({length: n}, () => ({type: 'next-pane'} as const))).focus);
	t.deepEqual(focus, ['mailbox', 'alerts', 'health', 'agents']);
});

test('moving stays inside the rows', t => {
	t.is(run({type: 'move', delta: -1, count: 3}).selected.agents, 0);
	t.is(run({type: 'move', delta: 1, count: 3}, {type: 'move', delta: 1, count: 3}, {type: 'move', delta: 1, count: 3}).selected.agents, 2);
});

test('mailbox and alerts follow the newest row until the user moves up', t => {
	const mailbox = run({type: 'focus', pane: 'mailbox'});
	t.is(selectedIndex(mailbox, 'mailbox', 5), 4);
	t.is(selectedIndex(mailbox, 'mailbox', 9), 8);
	const up = uiReducer(mailbox, {type: 'move', delta: -1, count: 9});
	t.is(selectedIndex(up, 'mailbox', 12), 7);
	const down = uiReducer(up, {type: 'move', delta: 1, count: 9});
	t.is(down.selected.mailbox, followTail);
});

test('no rows means no selection', t => {
	t.is(selectedIndex(initialUiState, 'agents', 0), -1);
	t.is(run({type: 'move', delta: 1, count: 0}), initialUiState);
});

test('the filter belongs to the focused pane and resets its selection', t => {
	const state = run({type: 'move', delta: 2, count: 5}, {type: 'open-filter'}, {type: 'filter-type', text: 'wo'}, {type: 'filter-type', text: 'rk'}, {type: 'filter-backspace'});
	t.is(state.filters.agents, 'wor');
	t.is(state.filters.mailbox, '');
	t.is(state.selected.agents, 0);
	t.is(state.overlay.kind, 'filter');
});

test('escape in the filter clears it and closes the bar', t => {
	const state = run({type: 'open-filter'}, {type: 'filter-type', text: 'x'}, {type: 'filter-clear'});
	t.is(state.filters.agents, '');
	t.is(state.overlay.kind, 'none');
});

test('a confirm dialog keeps the action it asks about', t => {
	const state = run({type: 'confirm', question: 'Kill w?', action: {kind: 'kill', agent: 'w'}});
	t.deepEqual(state.overlay, {kind: 'confirm', question: 'Kill w?', action: {kind: 'kill', agent: 'w'}});
	t.is(uiReducer(state, {type: 'close-overlay'}).overlay.kind, 'none');
});

test('the send dialog starts on the to field with the given recipient', t => {
	const state = run({type: 'open-send', to: 'worker-1'});
	t.like(state.overlay, {kind: 'send', form: {to: 'worker-1', subject: '', body: '', field: 'to'}});
});

test('send form edits go to the open dialog only', t => {
	t.is(run({type: 'send-form', action: {type: 'type', text: 'x'}}), initialUiState);
	const state = run({type: 'open-send', to: ''}, {type: 'send-form', action: {type: 'type', text: 'sup'}});
	t.like(state.overlay, {kind: 'send', form: {to: 'sup'}});
});

test('the send form types into the focused field and cycles fields', t => {
	let form = sendFormReducer(emptySendForm, {type: 'type', text: 'boss'});
	form = sendFormReducer(form, {type: 'next-field'});
	form = sendFormReducer(form, {type: 'type', text: 'hi!'});
	form = sendFormReducer(form, {type: 'backspace'});
	form = sendFormReducer(form, {type: 'next-field'});
	form = sendFormReducer(form, {type: 'type', text: 'body'});
	t.like(form, {to: 'boss', subject: 'hi', body: 'body', field: 'body'});
	t.is(sendFormReducer(form, {type: 'next-field'}).field, 'to');
	t.is(sendFormReducer(emptySendForm, {type: 'previous-field'}).field, 'body');
});

test('a send form needs a recipient and a subject', t => {
	t.is(sendFormProblem(emptySendForm), 'say who the message is for (to)');
	t.is(sendFormProblem({...emptySendForm, to: 'a'}), 'a message needs a subject');
	t.is(sendFormProblem({...emptySendForm, to: 'a', subject: 's'}), undefined);
});

test('submitting an incomplete form shows the problem instead of sending', t => {
	t.like(sendFormReducer({...emptySendForm, to: 'a'}, {type: 'submit'}), {sending: false, error: 'a message needs a subject'});
	t.like(sendFormReducer({...emptySendForm, to: 'a', subject: 's'}, {type: 'submit'}), {sending: true, error: undefined});
});

test('an error clears the sending flag and typing clears the error', t => {
	const failed = sendFormReducer(sendFormReducer({...emptySendForm, to: 'a', subject: 's'}, {type: 'submit'}), {type: 'error', message: 'no'});
	t.like(failed, {sending: false, error: 'no'});
	t.is(sendFormReducer(failed, {type: 'type', text: 'a'}).error, undefined);
});

test('a chunk of typing splits into text and editing keys, dropping other control characters', t => {
	t.deepEqual(splitInput('boss\thi\u0007!\r'), [{kind: 'text', text: 'boss'}, {kind: 'tab'}, {kind: 'text', text: 'hi!'}, {kind: 'enter'}]);
	t.deepEqual(splitInput('ab\u007F'), [{kind: 'text', text: 'ab'}, {kind: 'backspace'}]);
});

test('details scroll away from the end they start at and stop at the edges', t => {
	const lines = Array.from({length: 10}, String);
	const top = run({type: 'details', title: 't', lines}, {type: 'scroll', delta: -1});
	t.like(top.overlay, {kind: 'details', follow: 'top', scroll: 0});
	t.like(uiReducer(top, {type: 'scroll', delta: 3}).overlay, {scroll: 3});
	const bottom = run({type: 'details', title: 't', lines, follow: 'bottom'}, {type: 'scroll', delta: -2});
	t.like(bottom.overlay, {kind: 'details', follow: 'bottom', scroll: 2});
	t.like(uiReducer(bottom, {type: 'scroll', delta: 5}).overlay, {scroll: 0});
});
