import fs from 'node:fs';
import test from 'ava';
import type {Handlers} from '../../source/core/api.js';
import {keyLabel, keymap} from '../../source/ui/keymap.js';
import {waitFor} from '../helpers/wait.js';
import {addAgent, addAlert, addMessage, keys, makeWorld, renderUi} from './harness.js';

test('the help lists every bound key with its description and leaves out keys whose control is missing', async t => {
	const world = makeWorld({'agents.kill': killRecorder([])});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		const frame = await ui.press('?', now => now.includes('cmux-tui keys'));
		for (const binding of keymap) {
			const listed = frame.includes(`${keyLabel(binding).padEnd(8)} `) && frame.includes(binding.description.slice(0, 40));
			t.is(listed, !binding.needs || binding.needs === 'agents.kill', binding.command);
		}

		t.notRegex(frame, /not available|unavailable/);
		await ui.press(keys.escape, now => !now.includes('cmux-tui keys'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the footer shows only the keys of the focused pane, each hint whole', async t => {
	const world = makeWorld({'agents.kill': killRecorder([])});
	const ui = renderUi(world);
	try {
		const footer = (frame: string) => frame.split('\n').at(-1)!;
		const agents = footer(await ui.waitForFrame(now => now.includes('1 agents')));
		t.regex(agents, /k kill/);
		t.regex(agents, /\? help/);
		t.regex(agents, /q quit/);
		t.notRegex(agents, /r restart|a attach/, 'keys without their command are not offered');
		const mailbox = footer(await ui.press('2', now => now.includes('▶ 2 mailbox')));
		t.notRegex(mailbox, /k kill|K force/);
		const health = footer(await ui.press('4', now => now.includes('▶ 4 health')));
		t.notRegex(health, /\/ filter|enter details/);
		for (const hint of health.split(' · ')) {
			t.regex(hint, /^\S+ \S/, `a whole hint: ${hint}`);
		}
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('q quits with agents left running', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		ui.stdin.write('q');
		t.deepEqual(ui.exits, ['quit']);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('Q asks before stopping everything, and y answers stop-all', async t => {
	const world = makeWorld({stopAll: async () => ({})});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		await ui.press('Q', now => now.includes('Stop everything this project started'));
		t.deepEqual(ui.exits, []);
		ui.stdin.write('y');
		t.deepEqual(ui.exits, ['stop-all']);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('k in the agents pane asks to confirm, n cancels and y kills', async t => {
	const kills: Array<[string, boolean]> = [];
	const world = makeWorld({'agents.kill': killRecorder(kills)});
	addAgent(world, {name: 'alpha'});
	addAgent(world, {name: 'beta'});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('beta'));
		await ui.press('j');
		await ui.press('k', now => now.includes('Kill beta and its whole process tree?'));
		await ui.press('n', now => now.includes('cancelled'));
		t.deepEqual(kills, []);
		await ui.press('k', now => now.includes('Kill beta'));
		await ui.press('y', now => now.includes('killed beta'));
		t.deepEqual(kills, [['beta', false]]);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('K kills with force at once, without asking', async t => {
	const kills: Array<[string, boolean]> = [];
	const world = makeWorld({'agents.kill': killRecorder(kills)});
	addAgent(world, {name: 'alpha'});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('alpha'));
		await ui.press('K', now => now.includes('killed alpha'));
		t.deepEqual(kills, [['alpha', true]]);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('with ui.confirm false r acts at once', async t => {
	const calls: string[] = [];
	const world = makeWorld({
		async 'agents.kill'({name, force}) {
			calls.push(`kill ${name} ${force}`);
			return {agent: name, targets: [], killed: [], survivors: [], ms: 0};
		},
		async 'agents.restart'({name}) {
			calls.push(`restart ${name}`);
			return {name, type: 'worker'};
		},
	}, {ui: {confirm: false}});
	addAgent(world, {name: 'alpha'});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('alpha'));
		await ui.press('K', now => now.includes('killed alpha'));
		await ui.press('r', now => now.includes('restarted alpha'));
		t.deepEqual(calls, ['kill alpha true', 'restart alpha']);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('a key whose control is missing is not bound at all', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'alpha'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('alpha'));
		ui.stdin.write('r');
		// `?` after `r`: once the help shows, `r` has been handled (input is handled in order).
		const frame = await ui.press('?', now => now.includes('cmux-tui keys'));
		t.notRegex(frame, /restart|not available/);
		t.deepEqual(ui.exits, []);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('r asks and restarts, shows the result or the error, and the notice clears by itself', async t => {
	const calls: string[] = [];
	const world = makeWorld({
		async 'agents.restart'({name}) {
			calls.push(`restart ${name}`);
			if (calls.length > 1) {
				throw new Error('pane is gone');
			}

			return {name, type: 'worker'};
		},
	});
	addAgent(world, {name: 'alpha'});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('alpha'));
		await ui.press('r', now => now.includes('Restart alpha'));
		await ui.press('y', now => now.includes('restarted alpha'));
		await ui.press('r', now => now.includes('Restart alpha'));
		await ui.press('y', now => now.includes('restarting alpha failed: pane is gone'));
		t.deepEqual(calls, ['restart alpha', 'restart alpha']);
		await waitFor(() => !ui.frame().includes('restarting alpha failed'), {timeout: 10_000, what: 'the notice to clear'});
		t.pass();
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('k selects up outside the agents pane', async t => {
	const world = makeWorld();
	addMessage(world, {from: 'a', to: 'b', subject: 'older'});
	addMessage(world, {from: 'a', to: 'b', subject: 'newer'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('newer'));
		await ui.press('2', now => now.includes('▶ 2 mailbox'));
		t.regex(ui.frame(), /›\S* *\d\d:\d\d:\d\d a → b\s+newer/);
		const frame = await ui.press('k', now => /›\S* *\d\d:\d\d:\d\d a → b\s+older/.test(now));
		t.false(frame.includes('Kill'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('tab moves the focus through the panes', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('▶ 1 agents'));
		await ui.press(keys.tab, now => now.includes('▶ 2 mailbox'));
		await ui.press(keys.tab, now => now.includes('▶ 3 alerts'));
		await ui.press(keys.tab, now => now.includes('▶ 4 health'));
		await ui.press(keys.tab, now => now.includes('▶ 1 agents'));
		t.pass();
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the filter keeps only matching rows of the focused pane', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'builder'});
	addAgent(world, {name: 'tester'});
	addMessage(world, {from: 'builder', to: 'tester', subject: 'ping'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('tester'));
		await ui.press('/', now => now.includes('filter agents'));
		for (const char of 'test') {
			await ui.press(char);
		}

		const frame = await ui.press(keys.enter, now => !now.includes('filter agents'));
		t.regex(frame, /1 agents\s+1 row\s+filter: test/);
		t.false(/^\W*builder\s+worker/m.test(frame));
		t.regex(frame, /builder → tester\s+ping/);
		await ui.press('/', now => now.includes('filter agents'));
		const cleared = await ui.press(keys.escape, now => !now.includes('filter: test'));
		t.regex(cleared, /1 agents\s+2 rows/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('a filter that matches nothing says so', async t => {
	const world = makeWorld();
	addAlert(world, {file: 'a.log', count: 1, sample: 'ERROR x'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('ERROR x'));
		await ui.press('3', now => now.includes('▶ 3 alerts'));
		await ui.press('/', now => now.includes('filter alerts'));
		const frame = await ui.press('z', now => now.includes('no rows match "z"'));
		t.false(frame.includes('ERROR x'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the send dialog sends through the mailbox file when no service offers sendMessage', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'worker-1'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('worker-1'));
		await ui.press('s', now => now.includes('send a message as user'));
		t.regex(ui.frame(), /› to\s+worker-1/);
		await ui.press(keys.enter, now => /› subject/.test(now));
		await ui.press(keys.enter, now => now.includes('a message needs a subject') || /› body/.test(now));
		await ui.press(keys.enter, now => now.includes('a message needs a subject'));
		await ui.press(keys.up, now => /› subject/.test(now));
		ui.stdin.write('status?');
		await ui.press(keys.tab, now => /› body/.test(now));
		ui.stdin.write('are you done');
		await ui.waitForFrame(now => now.includes('are you done'));
		await ui.press(keys.enter, now => now.includes('sent "status?" to worker-1'));
		const lines = fs.readFileSync(world.paths.mailboxFile, 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		t.is(lines.length, 1);
		t.like(lines[0], {from: 'user', to: 'worker-1', subject: 'status?', body: 'are you done', status: 'submitted'});
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the send dialog uses the send command when the mailbox service runs', async t => {
	const sent: unknown[] = [];
	const world = makeWorld({send: sendRecorder(sent)});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		await ui.press('s', now => now.includes('send a message as user'));
		ui.stdin.write('boss');
		await ui.press(keys.tab, now => /› subject/.test(now));
		ui.stdin.write('hi');
		await ui.press(keys.tab, now => /› body/.test(now));
		await ui.press(keys.enter, now => now.includes('sent "hi" to boss'));
		t.deepEqual(sent, [{from: 'user', to: 'boss', subject: 'hi'}]);
		t.false(fs.existsSync(world.paths.mailboxFile));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('escape closes the send dialog without sending', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		await ui.press('s', now => now.includes('send a message as user'));
		await ui.press(keys.escape, now => !now.includes('send a message as user'));
		t.false(fs.existsSync(world.paths.mailboxFile));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('fast typing that arrives as one chunk fills the send dialog field by field', async t => {
	const sent: unknown[] = [];
	const world = makeWorld({send: sendRecorder(sent)});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		await ui.press('s', now => now.includes('send a message as user'));
		await ui.press('boss\thello\tbody text\r', now => now.includes('sent "hello" to boss'));
		t.deepEqual(sent, [{from: 'user', to: 'boss', subject: 'hello', body: 'body text'}]);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('several keys in one chunk act one by one', async t => {
	const world = makeWorld();
	for (const name of ['a1', 'a2', 'a3']) {
		addAgent(world, {name});
	}

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('a3'));
		const frame = await ui.press('jj', now => /›a3/.test(now));
		t.notRegex(frame, /›a1/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

function killRecorder(kills: Array<[string, boolean]>): Handlers['agents.kill'] {
	return async ({name, force}) => {
		kills.push([name, force]);
		return {agent: name, targets: [], killed: [], survivors: [], ms: 0};
	};
}

function sendRecorder(sent: unknown[]): Handlers['send'] {
	return async message => {
		sent.push(message);
		return {id: 'x', ts: new Date().toISOString(), from: 'user', status: 'submitted', ...message};
	};
}
