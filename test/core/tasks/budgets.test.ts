import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fakeAgent, startTasks} from './harness.js';

const boss = () => fakeAgent('boss', 'generic', [{do: 'hang'}], {type: 'supervisor'});
const journal = (root: string) => {
	const dir = path.join(root, '.cmux', 'journal');
	return fs.readdirSync(dir).map(day => fs.readFileSync(path.join(dir, day, 'journal.md'), 'utf8')).join('');
};

test.serial('an exceeded time budget warns the supervisor at 80%, then blocks the task when so configured', async t => {
	const h = await startTasks([fakeAgent('w1', 'generic', [{do: 'hang'}]), boss()], {tasks: {budgetAction: 'block'}});
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const task = await api.call('tasks.add', {title: 'slow', to: 'w1', budget: 2000});
	await api.call('tasks.start', {id: task.id});
	const warning = await h.event('message.received', {to: 'boss', subject: `budget warning: task ${task.id}`});
	t.regex(h.running.orchestrator.context.store.messages.get(String(warning.id))!.body!, /80% of its time budget/);
	const blocked = await h.event('task.state', {task: task.id, to: 'blocked'});
	t.is(blocked.note, 'budget exceeded: time');
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.blockedOn, 'budget');
	await h.event('message.received', {to: 'boss', subject: `budget exceeded: task ${task.id}`});
	t.regex(journal(h.root), new RegExp(`budget warning: task ${task.id} [^\\n]*80% of its time budget[\\s\\S]*budget exceeded: task ${task.id}[^\\n]*blocked`));
	// Only SPEC's event types: the budget is told with mail, the journal and task.state.
	t.false(h.events.some(event => event.type === 'agent.escalated' && (event as {reason?: string}).reason === 'task-budget'));
});

test.serial('a done task is never touched by its budget', async t => {
	const h = await startTasks([fakeAgent('w1', 'generic', [{do: 'hang'}])], {tasks: {budgetAction: 'block'}});
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const task = await api.call('tasks.add', {title: 'quick', to: 'w1', budget: 1500, verify: 'true'});
	await api.call('tasks.start', {id: task.id});
	const done = await api.call('tasks.done', {id: task.id});
	t.is(done.state, 'done');
	// A second task with the same budget proves time went past the first one's budget.
	const other = await api.call('tasks.add', {title: 'witness', to: 'w1', budget: 1500});
	await api.call('tasks.start', {id: other.id});
	await h.event('task.state', {task: other.id, to: 'blocked', note: 'budget exceeded: time'});
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'done');
	t.is(h.events.filter(event => event.type === 'task.state' && (event as {task?: string}).task === task.id).length, 4);
	t.notRegex(journal(h.root), new RegExp(`task ${task.id} \\(`));
});

test.serial('compaction hand-off: PreCompact writes the attachment, SessionStart compact sends the recovery message', async t => {
	const h = await startTasks([fakeAgent('w1', 'claude', [{do: 'start'}], {env: {
		FAKE_AGENT_SCRIPT: JSON.stringify([{do: 'start'}]), FAKE_AGENT_LOG: '.fake-w1.log', FAKE_AGENT_ON_TASK: JSON.stringify({compact: true, marker: 'none'}),
	}})]);
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const task = await api.call('tasks.add', {title: 'long work', to: 'w1'});
	const recovery = await h.event('message.received', {to: 'w1', subject: 'recovery: your context was compacted'});
	const {store, paths} = h.running.orchestrator.context;
	const body = store.messages.get(String(recovery.id))!.body!;
	const file = /(\S+compaction-w1-\S+\.json)/.exec(body)![1]!;
	t.true(file.startsWith(paths.journalDir));
	const handoff = JSON.parse(fs.readFileSync(file, 'utf8')) as {branch: string; files: {untracked: string[]}; task: {id: string}; pane: string[]; pendingMail: unknown[]};
	t.is(handoff.task.id, task.id);
	t.truthy(handoff.branch);
	t.true(Array.isArray(handoff.files.untracked));
	t.true(handoff.pane.length > 0 && handoff.pane.length <= 50);
	t.regex(body, new RegExp(`task in progress: ${task.id}`));
	const manual = await api.call('recover.handoff', {name: 'w1'});
	t.regex(manual.text, /compaction-w1-/);
});

test.serial('turns are counted from the agent stop hooks: warning at 80%, escalation to the supervisor at 100%', async t => {
	const h = await startTasks([fakeAgent('w1', 'generic', [{do: 'hang'}]), boss()]);
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const task = await api.call('tasks.add', {title: 'few turns', to: 'w1', turns: 5});
	await api.call('tasks.start', {id: task.id});
	const stop = async () => api.call('hook', {agent: 'w1', kind: 'claude', ts: Date.now(), payload: {hook_event_name: 'Stop', last_assistant_message: 'Working on it.'}});
	for (let turn = 0; turn < 4; turn++) {
		// eslint-disable-next-line no-await-in-loop
		await stop();
	}

	const warning = await h.event('message.received', {to: 'boss', subject: `budget warning: task ${task.id}`});
	t.regex(h.running.orchestrator.context.store.messages.get(String(warning.id))!.body!, /80% of its turns budget/);
	t.false(h.events.some(event => event.type === 'agent.escalated' && (event as {reason?: string}).reason === 'task-budget'));
	await stop();
	const escalated = await h.event('agent.escalated', {agent: 'w1', reason: 'task-budget', task: task.id});
	t.is(escalated.budget, 'turns');
	const mail = await h.event('message.received', {to: 'boss', subject: `budget exceeded: task ${task.id}`});
	t.truthy(mail);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.turns, 5);
	t.is(h.running.orchestrator.context.store.tasks.get(task.id)!.state, 'in_progress');
});
