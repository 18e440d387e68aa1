import test from 'ava';
import {addMessage, makeWorld, renderUi, type World} from './harness.js';

/** Insert and announce `count` messages in small batches, one batch per timer tick; returns the ms it took. */
async function burst(world: World, count: number): Promise<number> {
	const started = performance.now();
	for (let sent = 0; sent < count;) {
		for (let batch = 0; batch < 5 && sent < count; batch++, sent++) {
			const subject = `burst ${sent + 1}`;
			const id = addMessage(world, {from: 'spammer', to: 'boss', subject});
			world.orchestrator.emitEvent({type: 'message.received', id, from: 'spammer', to: 'boss', subject});
		}

		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	return performance.now() - started;
}

test.serial('a burst of 1,000 events re-renders at most about 10 times a second', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		const before = ui.frames.length;
		const ms = await burst(world, 1000);
		const frame = await ui.waitForFrame(now => now.includes('burst 1000'), 'the last message of the burst');
		const renders = ui.frames.length - before;
		// One leading render, then at most one per 100 ms, plus the trailing one and a 1 s tick.
		const allowed = Math.ceil(ms / 100) + 3;
		t.log(`${renders} renders for 1000 events over ${Math.round(ms)} ms (allowed ${allowed})`);
		t.true(renders <= allowed, `${renders} renders > ${allowed}`);
		t.true(renders >= 1);
		// The pane keeps the newest 500 messages.
		t.regex(frame, /2 mailbox\s+500 rows of 1000/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test.serial('without the throttle the same burst renders far more often, so the measure above can fail', async t => {
	const world = makeWorld();
	const ui = renderUi(world, {renderIntervalMs: 0});
	try {
		await ui.waitForFrame(now => now.includes('1 agents'));
		const before = ui.frames.length;
		const ms = await burst(world, 1000);
		await ui.waitForFrame(now => now.includes('burst 1000'), 'the last message of the burst');
		const renders = ui.frames.length - before;
		t.log(`${renders} renders for 1000 events over ${Math.round(ms)} ms unthrottled`);
		// 200 batches: far more renders than the ~15 the throttled run is allowed.
		t.true(renders >= 100, `only ${renders} renders`);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});
