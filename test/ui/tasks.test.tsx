import test from 'ava';
import {makeWorld, renderUi} from './harness.js';

test('the tasks strip appears when tasks exist, with state, agent, age and budget, and a banner while a cycle stands', async t => {
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(now => now.includes('agents'));
		t.false(ui.frame().includes('tasks'));
		const now = new Date().toISOString();
		const task = world.store.tasks.add({title: 'write the parser', agent: 'w1', state: 'in_progress', depends: [], createdAt: now, budgetMs: 600_000});
		world.store.tasks.update(task.id, {startedAt: new Date(Date.now() - 500_000).toISOString()});
		world.store.setServiceState('tasks', 'degraded', {cycles: [{kind: 'deadlock', agents: ['w1', 'w2'], tasks: ['t1'], since: now}]});
		// The TUI refreshes when an event arrives, as the tasks service emits one with every change.
		world.orchestrator.emitEvent({type: 'task.state', task: task.id, from: 'assigned', to: 'in_progress'});
		const frame = await ui.waitForFrame(next => next.includes('write the parser') && next.includes('DEADLOCK'));
		t.regex(frame, /t1\s+in_progress\s+w1\s+8m\s+8\d%\s+write the parser/);
		t.regex(frame, /DEADLOCK: w1 → w2 → w1 \(tasks t1\)/);
	} finally {
		ui.unmount();
		world.cleanup();
	}
});
