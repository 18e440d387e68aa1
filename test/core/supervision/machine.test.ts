import test from 'ava';
import {ActivityMachine, defaultMachineOptions} from '../../../source/core/supervision/machine.js';

const options = {...defaultMachineOptions, stallTimeoutMs: 10_000};
const make = (state: 'idle' | 'working' | 'starting' = 'starting') => new ActivityMachine('a', options, {state, source: 'process', since: 0});

test('a hook sets the state at once with source hook', t => {
	const machine = make();
	const transition = machine.signal('working', 'hook', 100);
	t.like(transition, {agent: 'a', state: 'working', previous: 'starting', source: 'hook', since: 100});
	t.is(machine.current.state, 'working');
});

test('a repeated state is no transition and keeps since', t => {
	const machine = make();
	machine.signal('working', 'hook', 100);
	t.is(machine.signal('working', 'hook', 200), undefined);
	t.is(machine.current.since, 100);
});

test('exited ignores later hooks until the process starts again', t => {
	const machine = make();
	machine.signal('exited', 'process', 100);
	t.is(machine.signal('working', 'hook', 200), undefined);
	t.like(machine.signal('starting', 'process', 300), {state: 'starting'});
});

test('a short burst of output does not wake an idle agent', t => {
	const machine = make('idle');
	t.is(machine.output(1000), undefined);
	t.is(machine.output(1200), undefined);
	t.is(machine.current.state, 'idle');
});

test('sustained dense output wakes an idle agent as working from output', t => {
	const machine = make('idle');
	for (let at = 1000; at < 1800; at += 100) {
		t.is(machine.output(at), undefined);
	}

	t.like(machine.output(1800), {state: 'working', source: 'output'});
});

test('a once-a-second redraw never wakes an idle agent', t => {
	const machine = make('idle');
	for (let at = 0; at < 20_000; at += 1000) {
		t.is(machine.output(at), undefined);
	}
});

test('a fresh idle hook is trusted over output for the hold time', t => {
	const machine = make();
	machine.signal('idle', 'hook', 0);
	for (let at = 0; at < 3000; at += 100) {
		t.is(machine.output(at), undefined);
	}

	t.like(machine.output(3000), {state: 'working', source: 'output'});
});

test('output quiet for the debounce asks for a pane check, once', t => {
	const machine = make('working');
	machine.output(1000);
	t.false(machine.tick(2400).check);
	const due = machine.tick(2500);
	t.true(due.check);
	t.is(due.token, 1000);
	t.false(machine.tick(2600).check);
	t.is(machine.nextDue(), 1000 + options.stallTimeoutMs);
});

test('sparse output in a resting pane does not postpone its check', t => {
	const machine = make('starting');
	machine.signal('starting', 'process', 0);
	for (let at = 500; at < 3000; at += 1000) {
		machine.output(at);
	}

	t.true(machine.tick(1500).check);
});

test('an output-only working agent becomes idle when the quiet pane shows nothing', t => {
	const machine = make('idle');
	for (let at = 0; at <= 900; at += 100) {
		machine.output(at);
	}

	t.is(machine.current.state, 'working');
	const {token} = machine.tick(2400);
	t.is(token, 900);
	t.like(machine.checked(undefined, 2400, token), {state: 'idle', source: 'output', previous: 'working'});
});

test('a hook-set working state survives a quiet pane that shows nothing', t => {
	const machine = make();
	machine.signal('working', 'hook', 0);
	const {check, token} = machine.tick(1500);
	t.true(check);
	t.is(machine.checked(undefined, 1500, token), undefined);
	t.is(machine.current.state, 'working');
});

test('a quiet pane showing the prompt makes a hook-set working agent idle (esc without a hook)', t => {
	const machine = make();
	machine.signal('working', 'hook', 0);
	machine.output(500);
	const {token} = machine.tick(2000);
	t.like(machine.checked('idle', 2000, token, {pattern: 'prompt'}), {state: 'idle', source: 'pattern'});
});

test('a check overtaken by new output is ignored', t => {
	const machine = make('working');
	machine.output(0);
	const {token} = machine.tick(1500);
	machine.output(1600);
	t.is(machine.checked('waiting_approval', 1700, token), undefined);
});

test('a fresh approval wait is not overridden by a spinner for three seconds', t => {
	const machine = make();
	machine.signal('waiting_approval', 'hook', 0);
	for (let at = 100; at < 3000; at += 100) {
		t.is(machine.output(at), undefined);
	}

	t.like(machine.output(3000), {state: 'working', source: 'output'});
});

test('error and limited are not overridden by output', t => {
	const machine = make();
	machine.signal('limited', 'hook', 0);
	for (let at = 0; at < 5000; at += 100) {
		t.is(machine.output(at), undefined);
	}

	t.is(machine.current.state, 'limited');
});

test('working with no output, hook or beat for the stall timeout is stalled', t => {
	const machine = make();
	machine.signal('working', 'hook', 0);
	t.is(machine.nextDue(), 1500);
	machine.tick(1500);
	t.is(machine.nextDue(), 10_000);
	t.is(machine.tick(9999).transition, undefined);
	t.like(machine.tick(10_000).transition, {state: 'stalled', source: 'heartbeat'});
});

test('heartbeats keep a silent working agent from stalling', t => {
	const machine = make();
	machine.signal('working', 'hook', 0);
	machine.beat(6000);
	t.is(machine.tick(10_000).transition, undefined);
	t.like(machine.tick(16_000).transition, {state: 'stalled'});
});

test('output or a heartbeat brings a stalled agent back to working', t => {
	const machine = make();
	machine.signal('working', 'hook', 0);
	machine.tick(10_000);
	t.like(machine.output(11_000), {state: 'working', source: 'output', previous: 'stalled'});
	machine.tick(30_000);
	t.like(machine.beat(31_000), {state: 'working', source: 'heartbeat'});
});

test('a pane check does not turn a fresh approval wait into working', t => {
	const machine = make();
	machine.signal('waiting_approval', 'hook', 0);
	const {token} = machine.tick(1500);
	t.is(machine.checked('working', 1500, token), undefined);
	t.is(machine.current.state, 'waiting_approval');
});
