import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {waitFor} from '../../helpers/wait.js';
import {startSupervision, fakeAgent} from './harness.js';

test.serial('claude hooks drive the states: start idle, prompt working, approval', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [
		{do: 'start'}, {do: 'sleep', ms: 400}, {do: 'prompt', text: 'build it'}, {do: 'work', ms: 800}, {do: 'approval'},
	])]);
	t.teardown(h.cleanup);
	// The agent draws its prompt, then runs its SessionStart hook: when starting that hook's process
	// takes longer than the quiet debounce (a loaded machine), the pane check sees the prompt first.
	const idle = await h.state('w1', 'idle');
	t.true(['hook', 'pattern'].includes((idle as {source?: string}).source!));
	// The prompt hook runs before the agent prints anything of its turn, and output alone needs
	// 800 ms of it to wake an idle agent.
	const working = await h.state('w1', 'working');
	t.is((working as {source?: string}).source, 'hook');
	const waiting = await h.state('w1', 'waiting_approval');
	// The hook, or on a loaded machine the pane check that saw the dialog first.
	t.true(['hook', 'pattern'].includes((waiting as {source?: string}).source!));
	const settings = JSON.parse(fs.readFileSync(path.join(h.root, '.cmux', 'hooks', 'claude-settings.json'), 'utf8')) as {hooks: Record<string, unknown>};
	t.truthy(settings.hooks.Stop);
});

test.serial('a question at the end of a turn is waiting_input', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [
		{do: 'start'}, {do: 'prompt'}, {do: 'work', ms: 300}, {do: 'end', message: 'Should I also update the docs?'},
	])]);
	t.teardown(h.cleanup);
	const waiting = await h.state('w1', 'waiting_input');
	t.is((waiting as {source?: string}).source, 'hook');
});

test.serial('codex notify after a turn makes the agent idle (its hooks not trusted yet)', async t => {
	const agent = fakeAgent('c1', 'codex', [{do: 'start'}, {do: 'sleep', ms: 2500}, {do: 'prompt'}, {do: 'work', ms: 1200}, {do: 'end', message: 'Done.'}]);
	(agent.env as Record<string, string>).FAKE_CODEX_HOOKS = 'untrusted';
	const h = await startSupervision([agent]);
	t.teardown(h.cleanup);
	const working = await h.state('c1', 'working');
	t.is((working as {source?: string}).source, 'output');
	const idle = await h.state('c1', 'idle', {from: h.events.indexOf(working)});
	t.true(['hook', 'pattern'].includes((idle as {source?: string}).source!));
});

test.serial('codex hooks passed with -c drive the states: prompt working, permission request waits, stop idle', async t => {
	const h = await startSupervision([
		fakeAgent('c1', 'codex', [{do: 'start'}, {do: 'prompt'}, {do: 'tool'}, {do: 'work', ms: 300, quiet: true}, {do: 'end', message: 'Done.'}]),
		fakeAgent('c2', 'codex', [{do: 'start'}, {do: 'prompt'}, {do: 'work', ms: 300, quiet: true}, {do: 'approval'}]),
	]);
	t.teardown(h.cleanup);
	const working = await h.state('c1', 'working');
	t.is((working as {source?: string}).source, 'hook');
	const idle = await h.state('c1', 'idle', {from: h.events.indexOf(working)});
	t.is((idle as {source?: string}).source, 'hook');
	const waiting = await h.state('c2', 'waiting_approval');
	t.is((waiting as {source?: string}).source, 'hook');
	const spool = fs.readFileSync(path.join(h.root, '.cmux', 'hooks', 'spool'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {agent: string; payload: Record<string, unknown>});
	const stop = spool.find(line => line.agent === 'c1' && line.payload.hook_event_name === 'Stop');
	t.like(stop?.payload, {cwd: h.root, last_assistant_message: 'Done.', model: 'gpt-5-codex'});
	t.truthy(stop?.payload.session_id);
	t.truthy(stop?.payload.turn_id);
	// Nothing of the user's own Codex setup is written: the wiring is all on the command line.
	t.false(fs.existsSync(path.join(h.root, '.codex')));
});

test.serial('gemini tool permission notification waits for approval', async t => {
	const h = await startSupervision([fakeAgent('g1', 'gemini', [{do: 'start'}, {do: 'prompt'}, {do: 'approval'}])]);
	t.teardown(h.cleanup);
	const waiting = await h.state('g1', 'waiting_approval');
	t.true(['hook', 'pattern'].includes((waiting as {source?: string}).source!));
});

test.serial('esc without a hook: the quiet pane says interrupted, so idle from the pattern', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'work', ms: 1000}, {do: 'interrupt'}])]);
	t.teardown(h.cleanup);
	const working = await h.state('w1', 'working');
	const idle = await h.state('w1', 'idle', {from: h.events.indexOf(working)});
	t.is((idle as {source?: string}).source, 'pattern');
});

test.serial('a rate limit is limited, an auth failure is error', async t => {
	const h = await startSupervision([
		fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'limit'}]),
		fakeAgent('w2', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'error'}]),
	]);
	t.teardown(h.cleanup);
	t.is((await h.state('w1', 'limited') as {source?: string}).source, 'hook');
	t.is((await h.state('w2', 'error') as {source?: string}).source, 'hook');
});

test.serial('a crash is exited from the process', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'sleep', ms: 300}, {do: 'crash', code: 3}])]);
	t.teardown(h.cleanup);
	const exited = await h.state('w1', 'exited');
	t.is((exited as {source?: string}).source, 'process');
});

test.serial('a hook-less generic agent: output is working, quiet is idle', async t => {
	const h = await startSupervision([fakeAgent('x1', 'generic', [{do: 'sleep', ms: 300}, {do: 'work', ms: 1500}, {do: 'hang'}])]);
	t.teardown(h.cleanup);
	const working = await h.state('x1', 'working');
	t.is((working as {source?: string}).source, 'output');
	const idle = await h.state('x1', 'idle', {from: h.events.indexOf(working)});
	t.is((idle as {source?: string}).source, 'output');
});

test.serial('hooks fired while no orchestrator ran are taken in once on the next start', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'sleep', ms: 1500}, {do: 'prompt'}, {do: 'work', ms: 300, quiet: true}, {do: 'end', message: 'Which one?'}])]);
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	await h.running.shutdown('test');
	// The agent runs on without an orchestrator: its hooks go to the spool.
	const spoolFile = path.join(h.root, '.cmux', 'hooks', 'spool');
	// The spool may not exist yet: on a loaded machine the idle prompt can be seen before the first hook.
	await waitFor(() => fs.existsSync(spoolFile) && fs.readFileSync(spoolFile, 'utf8').includes('"Stop"'), {timeout: 15_000, what: 'the Stop hook in the spool'});
	t.pass();
	const before = h.events.length;
	await h.restart();
	await h.state('w1', 'waiting_input', {from: before});
	const after = h.events.slice(before).filter(event => event.type === 'agent.state' && (event as {state?: string}).state === 'waiting_input');
	t.is(after.length, 1);
});
