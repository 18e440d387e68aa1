import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {saveActivity} from '../../../source/core/supervision/activity-store.js';
import {waitFor} from '../../helpers/wait.js';
import {fakeAgent, startSupervision} from './harness.js';

/** The fake agent's own log of what it received. */
function agentLog(root: string, name: string): Array<{event: string; text?: string; key?: string}> {
	try {
		return fs.readFileSync(path.join(root, `.fake-${name}.log`), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {event: string});
	} catch {
		return [];
	}
}

test.serial('recover approve answers an approval prompt with the kind\'s keys, and refuses when nothing waits', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'approval'}, {do: 'work', ms: 300}, {do: 'end', message: 'Built.'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'waiting_approval');
	const result = await h.running.orchestrator.api.call('recover.approve', {name: 'w1'});
	t.is(result.action, 'approve');
	await waitFor(() => agentLog(h.root, 'w1').find(entry => entry.event === 'approved' && entry.key === '1'), {what: 'the agent approved with 1'});
	await h.state('w1', 'idle', {from: h.events.findIndex(event => event.type === 'agent.state' && (event as {state?: string}).state === 'waiting_approval')});
	await t.throwsAsync(h.running.orchestrator.api.call('recover.deny', {name: 'w1'}), {message: /not waiting for approval/});
});

test.serial('recover deny sends escape to a codex approval prompt', async t => {
	const h = await startSupervision([fakeAgent('c1', 'codex', [{do: 'start'}, {do: 'approval'}])]);
	t.teardown(h.cleanup);
	await waitFor(async () => (await h.tmux.run(['capture-pane', '-p', '-t', 'cmux:c1'])).includes('Would you like to run'), {what: 'the approval screen'});
	await h.running.orchestrator.api.call('recover.deny', {name: 'c1'});
	const denied = await waitFor(() => agentLog(h.root, 'c1').find(entry => entry.event === 'denied'), {what: 'the agent denied'});
	t.is(denied.key, '\u001B');
});

test.serial('agents nudge types the message into an idle prompt and emits agent.nudged', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}])], {supervision: {nudgeMessage: 'please continue with the task'}});
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	await h.running.orchestrator.api.call('agents.nudge', {name: 'w1'});
	await h.event('agent.nudged', 'w1');
	await waitFor(() => agentLog(h.root, 'w1').find(entry => entry.event === 'line' && entry.text === 'please continue with the task'), {what: 'the nudge line'});
	t.pass();
});

test.serial('a nudge is refused while the agent is busy or waits for approval', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'work', ms: 60_000}]), fakeAgent('w2', 'claude', [{do: 'start'}, {do: 'approval'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'working');
	await h.state('w2', 'waiting_approval');
	await t.throwsAsync(h.running.orchestrator.api.call('agents.nudge', {name: 'w1'}), {message: /not at an idle prompt \(working/});
	await t.throwsAsync(h.running.orchestrator.api.call('agents.nudge', {name: 'w2'}), {message: /not at an idle prompt \(waiting_approval/});
	t.falsy(agentLog(h.root, 'w1').find(entry => entry.event === 'line'));
});

// An agent runs its UserPromptSubmit/PreToolUse hook before it redraws: for a moment its screen
// still shows the idle prompt. Seen on a loaded machine as a nudge typed into a working agent.
test.serial('a nudge is refused while a fresh hook says working though the screen still shows the idle prompt', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	const {store} = h.running.orchestrator.context;
	saveActivity(store, 'w1', {state: 'working', source: 'hook', since: Date.now()});
	await t.throwsAsync(h.running.orchestrator.api.call('agents.nudge', {name: 'w1'}), {message: /not at an idle prompt \(working, just reported by its hook/});
	// Once the hook is older than approvalHold (3 s), the screen is trusted (Esc-interrupted without a hook).
	saveActivity(store, 'w1', {state: 'working', source: 'hook', since: Date.now() - 10_000});
	await h.running.orchestrator.api.call('agents.nudge', {name: 'w1'});
	await h.event('agent.nudged', 'w1');
	await waitFor(() => agentLog(h.root, 'w1').find(entry => entry.event === 'line'), {what: 'the nudge line'});
	t.pass();
});

test.serial('recover interrupt sends escape; recover reset forgets the state; kill-zombie refuses a live agent', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	await h.running.orchestrator.api.call('recover.interrupt', {name: 'w1'});
	await waitFor(() => agentLog(h.root, 'w1').find(entry => entry.event === 'escape'), {what: 'the escape key'});
	const reset = await h.running.orchestrator.api.call('recover.reset', {name: 'w1'});
	t.regex(reset.text, /reset/);
	await t.throwsAsync(h.running.orchestrator.api.call('recover.kill-zombie', {name: 'w1'}), {message: /not a zombie/});
});

test.serial('recover restart --resume starts claude again with the session id its hooks reported', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	const session = await waitFor(() => h.running.orchestrator.context.store.supervision.activity().find(row => row.agent === 'w1' && row.detail.includes('session_id'))?.detail);
	const id = (JSON.parse(session) as {session_id: string}).session_id;
	const result = await h.running.orchestrator.api.call('recover.restart', {name: 'w1', resume: true});
	t.regex(result.text, new RegExp(id));
	await waitFor(() => agentLog(h.root, 'w1').filter(entry => entry.event === 'hook').length >= 2, {what: 'the second start'});
	await waitFor(async () => (await h.tmux.run(['list-panes', '-t', 'cmux:w1', '-F', '#{pane_start_command}'])).length > 0);
	const log = fs.readFileSync(path.join(h.root, '.fake-w1.log'), 'utf8');
	t.true(log.split('\n').filter(line => line.includes('SessionStart')).length >= 2);
	const row = h.running.orchestrator.context.store.supervision.activity().find(entry => entry.agent === 'w1');
	await waitFor(() => h.running.orchestrator.context.store.supervision.activity().find(entry => entry.agent === 'w1')?.detail.includes('"resume"'), {what: 'a SessionStart with source resume'});
	t.truthy(row);
});
