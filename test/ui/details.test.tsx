import test from 'ava';
import {addAgent, addAlert, addMessage, keys, makeWorld, renderUi} from './harness.js';

test('enter on a message shows the whole message', async t => {
	const world = makeWorld();
	addMessage(world, {from: 'worker-1', to: 'boss', subject: 'report', body: 'line one\nline two'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('report'));
		await ui.press('2', now => now.includes('▶ 2 mailbox'));
		const frame = await ui.press(keys.enter, now => now.includes('line two'));
		t.regex(frame, /from:\s+worker-1/);
		t.regex(frame, /to:\s+boss/);
		t.regex(frame, /line one/);
		await ui.press(keys.escape, now => now.includes('▶ 2 mailbox'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('enter on an alert shows its attachment lines', async t => {
	const world = makeWorld();
	addAlert(world, {file: 'server.log', count: 2, sample: 'ERROR one', lines: '# log alert\nERROR one\nTraceback (most recent call last):\n  File "x.py"'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('ERROR one'));
		await ui.press('3', now => now.includes('▶ 3 alerts'));
		const frame = await ui.press(keys.enter, now => now.includes('Traceback (most recent call last):'));
		t.regex(frame, /File "x\.py"/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('enter on an agent shows the last lines of its pane', async t => {
	const asked: Array<[string, number]> = [];
	const world = makeWorld({
		async 'agents.pane'({name, lines}) {
			asked.push([name, lines]);
			return {agent: name, text: '$ make test\nall 12 tests passed\n'};
		},
	});
	addAgent(world, {name: 'worker-1'});

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('worker-1'));
		const frame = await ui.press(keys.enter, now => now.includes('all 12 tests passed'));
		t.regex(frame, /worker-1 — last \d+ lines of its pane/);
		t.is(asked[0]?.[0], 'worker-1');
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('enter on an agent without the pane control says it is not available', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'worker-1'});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('worker-1'));
		await ui.press(keys.enter, now => now.includes('is not available'));
		t.pass();
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('a long message starts at its top and scrolls with the arrow keys', async t => {
	const world = makeWorld();
	const body = Array.from({length: 80}, (_, index) => `body line ${index + 1}`).join('\n');
	addMessage(world, {from: 'a', to: 'b', subject: 'long one', body});
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('long one'));
		await ui.press('2', now => now.includes('▶ 2 mailbox'));
		const top = await ui.press(keys.enter, now => now.includes('id:'));
		t.regex(top, /lines 1-\d+ of 89/);
		t.false(top.includes('body line 80'));
		await ui.press(keys.down, now => !now.includes('id:'));
		t.regex(ui.frame(), /lines 2-/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});
