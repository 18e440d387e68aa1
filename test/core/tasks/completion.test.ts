import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fakeAgent, startTasks} from './harness.js';

const worker = (onTask: Record<string, unknown>) => fakeAgent('w1', 'claude', [{do: 'start'}], {env: {
	FAKE_AGENT_SCRIPT: JSON.stringify([{do: 'start'}]), FAKE_AGENT_LOG: '.fake-w1.log', FAKE_AGENT_ON_TASK: JSON.stringify(onTask),
}});

test.serial('done by marker: a CMUX-DONE line in the last message plus a changed file', async t => {
	const h = await startTasks([worker({files: ['feature.txt'], marker: 'ok'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'write the feature', to: 'w1'});
	const completed = await h.event('task.completed', {task: task.id});
	t.is(completed.method, 'marker');
	t.true(completed.verified);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'done');
	t.true(fs.existsSync(path.join(h.root, 'feature.txt')));
});

test.serial('a false claim (marker, nothing changed) goes to review and the supervisor is told', async t => {
	const h = await startTasks([worker({marker: 'ok'}), fakeAgent('boss', 'generic', [{do: 'hang'}], {type: 'supervisor'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'claim without work', to: 'w1'});
	const completed = await h.event('task.completed', {task: task.id});
	t.false(completed.verified);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'review');
	await h.event('message.received', {to: 'boss'});
});

test.serial('done by verify: the verify command exits 0 after the claim', async t => {
	const h = await startTasks([worker({files: ['built.txt'], marker: 'ok'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'build', to: 'w1', verify: 'test -f built.txt'});
	const completed = await h.event('task.completed', {task: task.id});
	t.true(completed.verified);
	t.true((completed.evidence as {verify: {ok: boolean}}).verify.ok);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'done');
});

test.serial('a failing verify turns a claim into review', async t => {
	const h = await startTasks([worker({files: ['other.txt'], marker: 'ok'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'build', to: 'w1', verify: 'test -f built.txt'});
	const completed = await h.event('task.completed', {task: task.id});
	t.false(completed.verified);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'review');
});

test.serial('evidence without a claim once the agent is idle is reported for review', async t => {
	const h = await startTasks([worker({files: ['quiet.txt'], marker: 'none'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'silent work', to: 'w1'});
	const completed = await h.event('task.completed', {task: task.id});
	t.is(completed.method, 'evidence');
	t.false(completed.verified);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'review');
});

test.serial('done by status update: a completed status_update for the task message, verified', async t => {
	const h = await startTasks([worker({marker: 'none'})]);
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'by status', to: 'w1', verify: 'true'});
	const {store, paths} = h.running.orchestrator.context;
	const messageId = store.tasks.get(task.id)!.messageId!;
	fs.appendFileSync(paths.mailboxFile, `${JSON.stringify({type: 'status_update', id: messageId, status: 'working'})}\n`);
	await h.event('task.state', {task: task.id, to: 'in_progress'});
	fs.appendFileSync(paths.mailboxFile, `${JSON.stringify({type: 'status_update', id: messageId, status: 'completed'})}\n`);
	const completed = await h.event('task.completed', {task: task.id});
	t.is(completed.method, 'status');
	t.true(completed.verified);
	t.is(store.tasks.get(task.id)!.state, 'done');
});

test.serial('a fail marker fails the task, and the next task of the queue is offered once idle', async t => {
	const h = await startTasks([worker({marker: 'fail'})]);
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const first = await api.call('tasks.add', {title: 'doomed', to: 'w1'});
	const second = await api.call('tasks.add', {title: 'next one', to: 'w1'});
	t.is(h.running.orchestrator.context.store.tasks.get(second.id)!.offeredAt, null);
	await h.event('task.state', {task: first.id, to: 'failed'});
	await h.event('task.state', {task: second.id, to: 'failed'});
	t.truthy(h.running.orchestrator.context.store.tasks.get(second.id)!.offeredAt);
});
