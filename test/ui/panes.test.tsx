import test from 'ava';
import {addAgent, addAlert, addMessage, makeWorld, renderUi} from './harness.js';

test('the agents pane shows each agent with type, state, pid, uptime and restarts', async t => {
	const world = makeWorld();
	addAgent(world, {name: 'worker-1', state: 'running', pid: 4242, restarts: 2});
	addAgent(world, {name: 'supervisor', type: 'supervisor', state: 'failed'});
	const ui = renderUi(world);
	try {
		const frame = await ui.waitForFrame(now => now.includes('worker-1'));
		const row = frame.split('\n').find(line => line.includes('worker-1'))!;
		// name, activity, state, type, pid, cpu, mem, up, restarts, last activity
		t.regex(row, /worker-1\s+-\s+running\s+worker\s+4242\s+-\s+-\s+1m\d\ds\s+2\s+\d+s ago/);
		t.regex(frame, /supervisor\s+-\s+failed\s+supervisor/);
		t.regex(frame, /1 agents\s+2 rows/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the mailbox pane shows time, from and to, subject and state with the newest at the bottom', async t => {
	const world = makeWorld();
	addMessage(world, {from: 'worker-1', to: 'supervisor', subject: 'first subject'});
	addMessage(world, {from: 'supervisor', to: 'worker-2', subject: 'second subject', state: 'pending'});
	const ui = renderUi(world);
	try {
		const frame = await ui.waitForFrame(now => now.includes('second subject'));
		t.regex(frame, /\d\d:\d\d:\d\d\s+worker-1 → supervisor\s+first subject\s+delivered/);
		t.regex(frame, /supervisor → worker-2\s+second subject\s+pending/);
		t.true(frame.indexOf('first subject') < frame.indexOf('second subject'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('a dead letter is marked so it shows without colour', async t => {
	const world = makeWorld();
	addMessage(world, {from: 'a', to: 'ghost', subject: 'never arrived', state: 'dead'});
	addMessage(world, {from: 'a', to: 'b', subject: 'arrived fine'});
	const ui = renderUi(world);
	try {
		const frame = await ui.waitForFrame(now => now.includes('never arrived'));
		t.regex(frame.split('\n').find(line => line.includes('never arrived'))!, /‼ dead/);
		t.notRegex(frame.split('\n').find(line => line.includes('arrived fine'))!, /dead/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('a dead letter is red when colour is on', async t => {
	const world = makeWorld();
	addMessage(world, {from: 'a', to: 'ghost', subject: 'never arrived', state: 'dead'});
	const {default: chalk} = await import('chalk');
	const level = chalk.level;
	chalk.level = 1;
	const ui = renderUi(world, {color: true});
	try {
		const frame = await ui.waitForFrame(now => now.includes('never arrived'));
		const row = frame.split('\n').find(line => line.includes('never arrived'))!;
		t.regex(row, /\u001B\[31m[^\u001B]*never arrived/, row);
	} finally {
		chalk.level = level;
		ui.unmount();
		world.cleanup();
	}
});

test('the alerts pane shows time, file, count and the first sample line', async t => {
	const world = makeWorld();
	addAlert(world, {file: 'logs/server.log', count: 7, sample: 'ERROR boom\n  at thing'});
	const ui = renderUi(world);
	try {
		const frame = await ui.waitForFrame(now => now.includes('ERROR boom'));
		t.regex(frame, /\d\d:\d\d:\d\d\s+logs\/server\.log\s+7\s+ERROR boom/);
		t.false(frame.includes('at thing'));
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('the health pane shows the overall status, server, frontend, mailbox counts and the event rate', async t => {
	const world = makeWorld();
	world.store.setServiceState('server', 'unhealthy', {reason: 'health probe failed 3 times', startedAt: new Date(Date.now() - 120_000).toISOString(), restarts: 3, lastProbe: {ts: new Date().toISOString(), ok: false}});
	world.store.setServiceState('frontend', 'healthy', {});
	addMessage(world, {from: 'a', to: 'b', subject: 'x', state: 'dead'});
	addMessage(world, {from: 'a', to: 'b', subject: 'y', state: 'pending'});
	const ui = renderUi(world);
	try {
		world.orchestrator.emitEvent({type: 'agent.started', agent: 'w'});
		const frame = await ui.waitForFrame(now => /1 in the last minute/.test(now), 'the event to be counted');
		t.regex(frame, /overall\s+unhealthy/);
		t.regex(frame, /overall\s+unhealthy \(health probe failed/);
		t.regex(frame, /server\s+unhealthy · up 2m\d\ds · 3 restar/);
		t.regex(frame, /last probe \d+s ago: failed/);
		t.regex(frame, /frontend\s+healthy · no build yet/);
		t.regex(frame, /mailbox\s+1 dead · 1 pending · 0 deliver/);
		t.regex(frame, /events\/s\s+1 in the last minute, peak 1\/s[\s│]*\n[\s│]*▁+█/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});

test('rows written after the first frame appear when an event arrives', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('no agents yet'));
		addAgent(world, {name: 'late-agent'});
		world.orchestrator.emitEvent({type: 'agent.started', agent: 'late-agent'});
		await ui.waitForFrame(now => now.includes('late-agent'));
		t.pass();
	} finally {
		ui.unmount();
		world.cleanup();
	}
});
