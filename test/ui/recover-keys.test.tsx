import test from 'ava';
import type {Handlers} from '../../source/core/api.js';
import {StateError} from '../../source/core/errors.js';
import {addAgent, makeWorld, renderUi} from './harness.js';

/** Recover handlers that record `command agent`; approve and deny refuse unless `waiting` holds the agent, as the real ones do. */
function recoverRecorder(calls: string[], waiting: Set<string>): Handlers {
	const result = (name: string, action: string) => ({agent: name, action, text: `${action} ${name}`});
	const answer = (action: 'approve' | 'deny') => async ({name}: {name: string}) => {
		calls.push(`recover.${action} ${name}`);
		if (!waiting.has(name)) {
			throw new StateError(`agent ${name} is not waiting for approval`);
		}

		return result(name, action);
	};

	return {
		async 'agents.nudge'({name}) {
			calls.push(`agents.nudge ${name}`);
			return result(name, 'nudge');
		},
		async 'recover.interrupt'({name}) {
			calls.push(`recover.interrupt ${name}`);
			return result(name, 'interrupt');
		},
		'recover.approve': answer('approve'),
		'recover.deny': answer('deny'),
	};
}

const footer = (frame: string) => frame.split('\n').at(-1)!;

test.serial('n nudges the selected agent, y x and i ask and then approve, deny and interrupt it', async t => {
	const calls: string[] = [];
	const world = makeWorld(recoverRecorder(calls, new Set(['beta'])));
	addAgent(world, {name: 'alpha'});
	addAgent(world, {name: 'beta'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('beta'));
		await ui.press('j', now => /›\S* *beta/.test(now));
		await ui.press('n', now => now.includes('nudged beta'));
		t.deepEqual(calls, ['agents.nudge beta']);
		await ui.press('y', now => now.includes('Approve beta\'s pending tool call?'));
		t.is(calls.length, 1, 'nothing is approved before the answer');
		await ui.press('y', now => now.includes('approved the pending tool call of beta'));
		await ui.press('x', now => now.includes('Deny beta\'s pending tool call?'));
		await ui.press('n', now => now.includes('cancelled'));
		t.is(calls.length, 2, 'a cancelled deny calls nothing');
		await ui.press('x', now => now.includes('Deny beta\'s'));
		await ui.press('y', now => now.includes('denied the pending tool call of beta'));
		await ui.press('i', now => now.includes('Interrupt what beta is doing?'));
		await ui.press('y', now => now.includes('interrupted beta'));
		t.deepEqual(calls, ['agents.nudge beta', 'recover.approve beta', 'recover.deny beta', 'recover.interrupt beta']);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test.serial('approve and deny show in the footer only while the selected agent waits for approval, and a refusal shows as a notice', async t => {
	const calls: string[] = [];
	const world = makeWorld(recoverRecorder(calls, new Set()));
	addAgent(world, {name: 'alpha'});
	const ui = renderUi(world);
	try {
		const before = footer(await ui.waitForFrame(now => now.includes('alpha')));
		t.regex(before, /n nudge/);
		t.notRegex(before, /y approve|x deny/);
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'alpha', state: 'waiting_approval', previous: 'working', source: 'pattern'} as never);
		const waiting = footer(await ui.waitForFrame(now => now.includes('⚑ approve?'), 'the waiting state'));
		t.regex(waiting, /y approve · x deny/);
		// The state moved on before the answer: the command refuses and says why.
		await ui.press('y', now => now.includes('Approve alpha'));
		await ui.press('y', now => now.includes('approving the pending tool call of alpha failed: agent alpha is not waiting for approval'));
		t.deepEqual(calls, ['recover.approve alpha']);
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'alpha', state: 'working', previous: 'waiting_approval', source: 'hook'} as never);
		const working = footer(await ui.waitForFrame(now => now.includes('● working'), 'the working state'));
		t.notRegex(working, /y approve|x deny/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test.serial('with ui.confirm false y approves at once while x and i still ask', async t => {
	const calls: string[] = [];
	const world = makeWorld(recoverRecorder(calls, new Set(['alpha'])), {ui: {confirm: false}});
	addAgent(world, {name: 'alpha'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('alpha'));
		await ui.press('y', now => now.includes('approved the pending tool call of alpha'));
		await ui.press('x', now => now.includes('Deny alpha\'s pending tool call?'));
		await ui.press('n', now => now.includes('cancelled'));
		await ui.press('i', now => now.includes('Interrupt what alpha is doing?'));
		await ui.press('n', now => now.includes('cancelled'));
		t.deepEqual(calls, ['recover.approve alpha']);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test.serial('without the recover commands n y x and i are not bound', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'alpha'});
	const ui = renderUi(world);
	try {
		t.notRegex(footer(await ui.waitForFrame(now => now.includes('alpha'))), /nudge|interrupt/);
		ui.stdin.write('nyxi');
		// `?` after them: once the help shows, they have been handled (input is handled in order).
		const frame = await ui.press('?', now => now.includes('cmux-tui keys'));
		t.notRegex(frame, /nudge|approve the|deny the|interrupt|not available|Approve|Deny/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});
