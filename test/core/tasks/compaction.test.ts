import fs from 'node:fs';
import os from 'node:os';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {ConfigError} from '../../../source/core/errors.js';
import {hookWiring} from '../../../source/core/supervision/wiring.js';
import {contextUse} from '../../../source/core/tasks/compaction.js';
import {fakeAgent, startTasks} from './harness.js';

test('context use is read from the status line json: used_percentage, else current usage over the window', t => {
	t.is(contextUse(JSON.stringify({context_window: {used_percentage: 83, context_window_size: 200_000}})), 83);
	t.is(contextUse(JSON.stringify({context_window: {context_window_size: 200_000, current_usage: {input_tokens: 100_000, cache_creation_input_tokens: 20_000, cache_read_input_tokens: 40_000}}})), 80);
	t.is(contextUse(JSON.stringify({context_window: {used_percentage: null, current_usage: null}})), undefined);
	t.is(contextUse('{"context_window": {"used_percentage": "lots"}}'), undefined);
	t.is(contextUse('{"context_win'), undefined);
});

test('compactAt is off by default and must be a whole percent 1-99', t => {
	t.is(validateConfig({}).tasks.compactAt, undefined);
	t.is(validateConfig({tasks: {compactAt: 75}}).tasks.compactAt, 75);
	const error = t.throws(() => validateConfig({tasks: {compactAt: 150}}), {instanceOf: ConfigError});
	t.regex(error.message, /tasks\.compactAt: expected a whole number 1-99 \(percent\), got 150/);
});

test('the claude settings carry the status line only when compactAt asks for it', t => {
	const root = fs.mkdtempSync(`${os.tmpdir()}/cmux-wiring-`);
	t.teardown(() => {
		fs.rmSync(root, {recursive: true, force: true});
	});
	const settings = (statusLine: boolean) => JSON.parse(fs.readFileSync(hookWiring(root, 'claude', {statusLine}).env.CMUX_HOOK_SETTINGS!, 'utf8')) as {statusLine?: {command: string}; hooks: Record<string, unknown>};
	t.is(settings(false).statusLine, undefined);
	const withLine = settings(true);
	t.truthy(withLine.hooks.PreCompact);
	// Constant text: the path reaches the shell through the environment only.
	t.is(withLine.statusLine!.command, 'cat > "$CMUX_CONTEXT_FILE.tmp" && mv -f "$CMUX_CONTEXT_FILE.tmp" "$CMUX_CONTEXT_FILE"');
	t.is(settings(false).statusLine, undefined);
});

const worker = (context: number, onTask: Record<string, unknown> = {marker: 'none'}) => fakeAgent('w1', 'claude', [{do: 'start'}], {env: {
	FAKE_AGENT_SCRIPT: JSON.stringify([{do: 'start'}]), FAKE_AGENT_LOG: '.fake-w1.log', FAKE_AGENT_CONTEXT: String(context), FAKE_AGENT_ON_TASK: JSON.stringify(onTask),
}});
const typed = (root: string, text: string) => fs.readFileSync(`${root}/.fake-w1.log`, 'utf8').split('\n').filter(line => line.includes('"event":"line"') && line.includes(JSON.stringify(text))).length;

test.serial('compactAt: an idle claude agent past the mark gets /compact once, and the hand-off and recovery follow', async t => {
	const h = await startTasks([worker(85)], {tasks: {compactAt: 80}});
	t.teardown(h.cleanup);
	const api = h.running.orchestrator.api;
	const task = await api.call('tasks.add', {title: 'long work', to: 'w1'});
	const nudged = await h.event('agent.nudged', {agent: 'w1', reason: 'compact'}, {timeout: 40_000});
	t.false(nudged.manual);
	const recovery = await h.event('message.received', {to: 'w1', subject: 'recovery: your context was compacted'}, {timeout: 30_000});
	const {store} = h.running.orchestrator.context;
	t.regex(store.messages.get(String(recovery.id))!.body!, new RegExp(`compaction-w1-\\S+\\.json[\\s\\S]*task in progress: ${task.id}`));
	// The recovery message is a turn of its own; the status line then says 10%: no second /compact.
	const delivered = await h.event('message.delivered', {id: recovery.id});
	await h.event('agent.state', {agent: 'w1', state: 'idle', source: 'hook'}, {from: h.events.indexOf(delivered)});
	t.is(typed(h.root, '/compact'), 1);
	t.is(h.events.filter(event => event.type === 'agent.nudged' && (event as {reason?: string}).reason === 'compact').length, 1);
	// A compaction is no nudge the task spent.
	t.is(store.tasks.get(task.id)!.nudges, 0);
});

test.serial('compactAt: below the mark the agent is left alone', async t => {
	const h = await startTasks([worker(60, {files: ['work.txt'], marker: 'none'})], {tasks: {compactAt: 80}});
	t.teardown(h.cleanup);
	const task = await h.running.orchestrator.api.call('tasks.add', {title: 'short work', to: 'w1'});
	// Its turn ends (status line at 60%, then Stop): the compaction check runs 1.5 s into that idle, and
	// the evidence of its work without a claim is judged 3 s into it, which proves the check is past.
	const completed = await h.event('task.completed', {task: task.id}, {timeout: 40_000});
	t.is(completed.method, 'evidence');
	t.true(fs.existsSync(`${h.root}/.cmux/run/w1.context.json`));
	t.is(typed(h.root, '/compact'), 0);
	t.false(h.events.some(event => event.type === 'agent.nudged'));
});
