import test from 'ava';
import {attentionRank, stateCounts} from '../../source/ui/data/activity.js';
import {LiveView} from '../../source/ui/data/live-view.js';
import {addAgent, makeWorld, renderUi} from './harness.js';

test('agents that need a person come first, marked so they read without colour, and the header counts them', async t => {
	const world = makeWorld();
	for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
		addAgent(world, {name});
	}

	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('delta'));
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'gamma', state: 'working', previous: 'starting', source: 'hook'} as never);
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'delta', state: 'waiting_approval', previous: 'working', source: 'pattern'} as never);
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'beta', state: 'stalled', previous: 'working', source: 'heartbeat'} as never);
		const frame = await ui.waitForFrame(now => now.includes('⚑ approve?') && now.includes('⧗ stalled') && now.includes('● working'), 'the activity states');
		const order = frame.split('\n').flatMap(line => /^\W*[›\s](alpha|beta|gamma|delta)\s/.exec(line.replace(/^[┃│]\s?/, ''))?.[1] ?? []);
		t.deepEqual(order, ['delta', 'beta', 'gamma', 'alpha']);
		t.regex(frame, /delta\s+⚑ approve\?/);
		t.regex(frame, /waiting_approval \d+s ago \(pattern\)/);
		const header = frame.split('\n')[0]!;
		t.regex(header, / 2 need you /);
		// What follows (●1 working …) may be cut with … when the uptime takes more columns.
		t.regex(header, /⚑1 waiting approval\s+⧗1 stalled\s+[●…]/);
		// An escalation puts an agent among those who need a person until it works again.
		world.orchestrator.emitEvent({type: 'agent.escalated', agent: 'alpha', reason: 'crash-loop'});
		const escalated = await ui.waitForFrame(now => now.includes('‼ escalated'), 'the escalation');
		t.regex(escalated.split('\n')[0]!, / 3 need you /);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the view starts with the activity stored before the tui started', t => {
	const world = makeWorld();
	try {
		addAgent(world, {name: 'alpha'});
		world.orchestrator.emitEvent({type: 'agent.state', agent: 'alpha', state: 'waiting_input', previous: 'working', source: 'hook'} as never);
		const view = new LiveView(world.store);
		t.like(view.data().activity.get('alpha'), {state: 'waiting_input', source: 'hook', previous: 'working'});
	} finally {
		world.cleanup();
	}
});

test('a new view takes every stored agent activity and the escalations not cleared since, however many events came after', t => {
	const world = makeWorld();
	try {
		for (const name of ['alpha', 'beta', 'gamma']) {
			addAgent(world, {name});
		}

		const {supervision} = world.store;
		const long = new Date(Date.now() - 3_600_000).toISOString();
		supervision.saveActivity({agent: 'alpha', state: 'stalled', source: 'heartbeat', since: long, detail: '{}'});
		supervision.saveActivity({agent: 'beta', state: 'idle', source: 'hook', since: new Date().toISOString(), detail: '{}'});
		world.orchestrator.emitEvent({type: 'agent.escalated', agent: 'alpha', reason: 'unresponsive', ts: long} as never);
		world.orchestrator.emitEvent({type: 'agent.escalated', agent: 'beta', reason: 'unresponsive', ts: long} as never);
		// Far more state events of another agent than a new view replays.
		for (let index = 0; index < 300; index++) {
			world.orchestrator.emitEvent({type: 'agent.state', agent: 'gamma', state: index % 2 ? 'working' : 'idle', previous: index % 2 ? 'idle' : 'working', source: 'hook'} as never);
		}

		const view = new LiveView(world.store).data();
		t.like(view.activity.get('alpha'), {state: 'stalled', source: 'heartbeat', since: long});
		t.like(view.activity.get('gamma'), {state: 'working', previous: 'idle'});
		t.true(view.escalated.has('alpha'), 'still stalled since its escalation');
		t.false(view.escalated.has('beta'), 'idle since its escalation');
	} finally {
		world.cleanup();
	}
});

test('message events move counts and rows in memory without reading the store again', t => {
	const world = makeWorld();
	try {
		const view = new LiveView(world.store);
		const base = {from: 'a', to: 'b'};
		t.true(view.apply({type: 'message.received', id: 'm1', subject: 'one', ts: new Date().toISOString(), ...base}));
		view.apply({type: 'message.received', id: 'm2', subject: 'two', ts: new Date().toISOString(), ...base});
		view.apply({type: 'message.delivered', id: 'm1', ts: new Date().toISOString(), attempts: 1, ...base});
		view.apply({type: 'message.dead_letter', id: 'm2', ts: new Date().toISOString(), attempts: 5, error: 'pane gone', ...base});
		// Closing the store proves nothing below reads it.
		world.store.close();
		const data = view.data();
		t.deepEqual(data.messages.map(message => [message.id, message.state]), [['m1', 'delivered'], ['m2', 'dead']]);
		t.like(data.report.mailbox.byState, {pending: 0, delivered: 1, dead: 1});
		t.is(data.report.mailbox.status, 'degraded');
		t.is(data.report.status, 'degraded');
		t.false(view.apply({type: 'orchestrator.stopping', ts: new Date().toISOString()}), 'an event that shows nothing asks for no render');
	} finally {
		world.cleanup();
	}
});

test('attention ranks and counts follow the spec states', t => {
	t.true(attentionRank({state: 'waiting_approval', since: ''}, false) < attentionRank({state: 'working', since: ''}, false));
	t.true(attentionRank({state: 'idle', since: ''}, true) < attentionRank({state: 'working', since: ''}, false));
	t.deepEqual(stateCounts([{state: 'idle', since: ''}, {state: 'idle', since: ''}, undefined]).map(count => [count.state, count.count]), [['idle', 2]]);
});
