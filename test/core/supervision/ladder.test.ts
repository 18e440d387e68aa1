import test from 'ava';
import {fakeAgent, startSupervision} from './harness.js';

test.serial('an idle agent with waiting mail is nudged up to maxNudges times, then escalated', async t => {
	const h = await startSupervision([
		fakeAgent('boss', 'generic', [{do: 'hang'}], {type: 'supervisor'}),
		// An agent that ignores typed lines: its prompt stays, so every nudge finds it idle again.
		fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'hang'}]),
	], {supervision: {nudgeInterval: '1s', maxNudges: 2, nudgeMessage: 'wake up'}});
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	// Written as CMUX's `send` writes it: `session:NAME` is the same agent's mail.
	const {session} = h.running.orchestrator.context.config;
	h.running.orchestrator.context.store.messages.ingest('test', [{kind: 'message', line: 1, message: {id: 'm1', ts: new Date(Date.now() - 60_000).toISOString(), from: 'boss', to: `${session}:w1`, subject: 'do it', status: 'submitted'}}] as never, {dev: 0, ino: 0, offset: 0, line: 1});
	const escalated = await h.event('agent.escalated', 'w1', 30_000);
	t.is((escalated as {reason?: string}).reason, 'unresponsive');
	t.is(h.events.filter(event => event.type === 'agent.nudged' && (event as {agent?: string}).agent === 'w1').length, 2);
});

test.serial('observe mode reports a nudge without typing it', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'hang'}])], {supervision: {mode: 'observe', nudgeInterval: '1s', maxNudges: 1}});
	t.teardown(h.cleanup);
	await h.state('w1', 'idle');
	const store = h.running.orchestrator.context.store;
	store.messages.ingest('test', [{kind: 'message', line: 1, message: {id: 'm1', ts: new Date(Date.now() - 60_000).toISOString(), from: 'x', to: 'w1', subject: 'do it', status: 'submitted'}}] as never, {dev: 0, ino: 0, offset: 0, line: 1});
	await h.event('agent.escalated', 'w1', 30_000);
	t.true(store.supervision.actionsSince('1970-01-01').some(action => action.action === 'nudge' && action.outcome === 'observed'));
	t.false(h.events.some(event => event.type === 'agent.nudged'));
});

test.serial('an approval wait past approvalTimeout is escalated', async t => {
	const h = await startSupervision([fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'approval'}])], {supervision: {approvalTimeout: '2s'}});
	t.teardown(h.cleanup);
	await h.state('w1', 'waiting_approval');
	const escalated = await h.event('agent.escalated', 'w1', 20_000);
	t.is((escalated as {reason?: string}).reason, 'approval-timeout');
});

test.serial('a working agent silent past the stall timeout is stalled; heartbeats keep another one working', async t => {
	const h = await startSupervision([
		// w1 shows its spinner for 3 s before it hangs: when it stalls, w2 (beats only) has been
		// silent longer than the stall timeout, so only its heartbeats can have kept it working.
		fakeAgent('w1', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'tool'}, {do: 'work', ms: 3000}, {do: 'hang'}]),
		fakeAgent('w2', 'claude', [{do: 'start'}, {do: 'prompt'}, {do: 'tool'}, {do: 'beat', every: 500, ms: 60_000}]),
	], {supervision: {stallTimeout: '4s'}});
	t.teardown(h.cleanup);
	const working = await h.state('w2', 'working');
	const stalled = await h.state('w1', 'stalled', {timeout: 30_000});
	t.true(stalled.receivedAt - working.receivedAt > 4000, 'w2 was silent longer than the stall timeout');
	const w2 = h.events.filter(event => event.type === 'agent.state' && (event as {agent?: string}).agent === 'w2').map(event => (event as {state?: string}).state);
	t.is(w2.at(-1), 'working', `w2 went ${w2.join(' → ')}`);
	t.false(w2.includes('stalled'));
});
