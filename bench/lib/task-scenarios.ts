import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {cliPath} from '../../test/helpers/paths.js';
import {fakeAgent} from '../../test/core/supervision/harness.js';
import {startProduct, type Product, type ProductEvent} from './product.js';

/**
 * Issue 11's task scenarios, each on the product as users run it: its own `cmux-tui run --no-ui
 * --json` process on a fresh git project, driven from outside with the real CLI (`tasks add|start|
 * block`), the mailbox file and fake agents on real tmux, and judged from its event stream.
 */
export interface TaskOutcome {
	name: string;
	ok: boolean;
	detail: string;
	/** Deadlocks: ms from when the report was due (cycle closed, or deadlockAfter after the last message) to `cycle.detected`. */
	deadlockExcessMs?: number;
	/** Tasks that reached done and were later moved (to failed or anything else): must stay 0. */
	doneThenMoved: number;
}

export const deadlockAfterMs = 3000;
const tasksConfig = {deadlockAfter: `${deadlockAfterMs}ms`, livelockMessages: 4, livelockWindow: '1m', budgetAction: 'block'};
const supervisor = fakeAgent('boss', 'generic', [{do: 'hang'}], {type: 'supervisor'});
const quiet = (name: string) => fakeAgent(name, 'generic', [{do: 'sleep', ms: 200}, {do: 'work', ms: 400}, {do: 'hang'}]);
const worker = (onTask: Record<string, unknown>, env: Record<string, string> = {}) => fakeAgent('w1', 'claude', [{do: 'start'}], {env: {
	FAKE_AGENT_SCRIPT: JSON.stringify([{do: 'start'}]), FAKE_AGENT_LOG: '.fake-w1.log', FAKE_AGENT_ON_TASK: JSON.stringify(onTask), ...env,
}});

interface Run {
	product: Product;
	cli(...args: string[]): Promise<Record<string, unknown>>;
	event(type: string, match?: Record<string, unknown>, ms?: number): Promise<ProductEvent>;
}

interface TaskScenario {
	name: string;
	agents: Array<Record<string, unknown>>;
	config?: Record<string, unknown>;
	/** Drive the product; returns a detail line (throws when the expected thing does not come). */
	run(run: Run): Promise<{detail: string; deadlockExcessMs?: number}>;
}

const matches = (event: ProductEvent, type: string, match: Record<string, unknown>) => event.type === type && Object.entries(match).every(([key, value]) => event[key] === value);

/**
 * How late `cycle.detected` came: the earliest it may come is when the cycle closed (the closing
 * `task.state` → blocked, as read from the product's stream) or `deadlockAfter` after the last
 * message touching its agents, whichever is later. The target is at most 1 s.
 */
async function deadlockFound(run: Run, closing: string, agents: string[]): Promise<{detail: string; deadlockExcessMs: number}> {
	const cycle = await run.event('cycle.detected', {kind: 'deadlock'}, 30_000);
	const closed = run.product.events.find(event => matches(event, 'task.state', {task: closing, to: 'blocked'}))!.receivedAt;
	const traffic = run.product.events.filter(event => event.receivedAt < cycle.receivedAt && event.type === 'message.received' && (agents.includes(String(event.to)) || agents.includes(String(event.from)))).map(event => event.receivedAt);
	const due = Math.max(closed, Math.max(0, ...traffic) + deadlockAfterMs);
	const late = Math.round(cycle.receivedAt - due);
	if (JSON.stringify(cycle.agents) !== JSON.stringify(agents)) {
		throw new Error(`cycle of ${JSON.stringify(cycle.agents)}, expected ${JSON.stringify(agents)}`);
	}

	if (late > 1000) {
		throw new Error(`deadlock of ${agents.join(', ')} reported ${late} ms after it was due (target ≤ 1000)`);
	}

	return {detail: `deadlock of ${agents.join(', ')} reported ${late} ms after it was due (${due === closed ? 'when the cycle closed' : 'deadlockAfter after the last message'})`, deadlockExcessMs: late};
}

async function completed(run: Run, task: string, expect: {method: string; verified: boolean; state: string}): Promise<{detail: string}> {
	const event = await run.event('task.completed', {task}, 40_000);
	await run.event('task.state', {task, to: expect.state}, 10_000);
	if (event.method !== expect.method || event.verified !== expect.verified) {
		throw new Error(`task.completed method ${String(event.method)} verified ${String(event.verified)}`);
	}

	return {detail: `${expect.state} (${expect.method}, verified ${String(expect.verified)})`};
}

export const taskScenarios: TaskScenario[] = [
	{name: 'task done by marker', agents: [worker({files: ['feature.txt'], marker: 'ok'})], async run(r) {
		const task = await r.cli('tasks', 'add', 'write the feature', '--to', 'w1');
		return completed(r, String(task.id), {method: 'marker', verified: true, state: 'done'});
	}},
	{name: 'task done by status update', agents: [worker({marker: 'none'})], async run(r) {
		const task = await r.cli('tasks', 'add', 'by status', '--to', 'w1', '--verify', 'true');
		const mail = await r.event('message.received', {to: 'w1', subject: 'task t1: by status'});
		fs.appendFileSync(path.join(r.product.root, '.cmux', 'mailbox'), `${JSON.stringify({type: 'status_update', id: mail.id, status: 'working'})}\n`);
		await r.event('task.state', {task: task.id, to: 'in_progress'});
		fs.appendFileSync(path.join(r.product.root, '.cmux', 'mailbox'), `${JSON.stringify({type: 'status_update', id: mail.id, status: 'completed'})}\n`);
		return completed(r, String(task.id), {method: 'status', verified: true, state: 'done'});
	}},
	{name: 'task done by verify', agents: [worker({files: ['built.txt'], marker: 'ok'})], async run(r) {
		const task = await r.cli('tasks', 'add', 'build', '--to', 'w1', '--verify', 'test -f built.txt');
		return completed(r, String(task.id), {method: 'marker', verified: true, state: 'done'});
	}},
	{name: 'false claim goes to review', agents: [worker({marker: 'ok'}), supervisor], async run(r) {
		const task = await r.cli('tasks', 'add', 'claim without work', '--to', 'w1');
		const result = await completed(r, String(task.id), {method: 'marker', verified: false, state: 'review'});
		await r.event('message.received', {to: 'boss'});
		return result;
	}},
	{name: 'evidence without a claim goes to review', agents: [worker({files: ['quiet.txt'], marker: 'none'})], async run(r) {
		const task = await r.cli('tasks', 'add', 'silent work', '--to', 'w1');
		return completed(r, String(task.id), {method: 'evidence', verified: false, state: 'review'});
	}},
	{name: '2-agent deadlock', agents: [quiet('a'), quiet('b'), supervisor], async run(r) {
		await r.cli('tasks', 'add', 'api', '--to', 'a');
		await r.cli('tasks', 'add', 'client', '--to', 'b', '--depends', 't1');
		await r.cli('tasks', 'block', 't1', '--on', 'b');
		// A message inside the cycle after it closed: the report must wait deadlockAfter from it.
		fs.appendFileSync(path.join(r.product.root, '.cmux', 'mailbox'), `${JSON.stringify({from: 'a', to: 'b', subject: 'is the client shape ready?'})}\n`);
		return deadlockFound(r, 't1', ['a', 'b']);
	}},
	{name: '3-agent deadlock', agents: [quiet('a'), quiet('b'), quiet('c')], async run(r) {
		for (const agent of ['a', 'b', 'c']) {
			await r.cli('tasks', 'add', `part ${agent}`, '--to', agent);
		}

		await r.cli('tasks', 'block', 't1', '--on', 't2');
		await r.cli('tasks', 'block', 't2', '--on', 't3');
		await r.cli('tasks', 'block', 't3', '--on', 't1');
		return deadlockFound(r, 't3', ['a', 'b', 'c']);
	}},
	{name: 'livelock', agents: [quiet('a'), quiet('b')], async run(r) {
		// Both agents up and quiet first (their start is no part of the ping-pong).
		await r.event('agent.state', {agent: 'a', state: 'idle'});
		await r.event('agent.state', {agent: 'b', state: 'idle'});
		for (let index = 0; index < 4; index++) {
			const [from, to] = index % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
			fs.appendFileSync(path.join(r.product.root, '.cmux', 'mailbox'), `${JSON.stringify({from, to, subject: `after you (${index})`})}\n`);
		}

		const cycle = await r.event('cycle.detected', {kind: 'livelock'}, 30_000);
		return {detail: `livelock of ${JSON.stringify(cycle.agents)}`};
	}},
	{name: 'exceeded budget', agents: [quiet('w1'), supervisor], async run(r) {
		const task = await r.cli('tasks', 'add', 'slow', '--to', 'w1', '--budget', '2s');
		await r.cli('tasks', 'start', String(task.id));
		await r.event('message.received', {to: 'boss', subject: `budget warning: task ${String(task.id)}`});
		await r.event('task.state', {task: task.id, to: 'blocked', note: 'budget exceeded: time'});
		await r.event('message.received', {to: 'boss', subject: `budget exceeded: task ${String(task.id)}`});
		return {detail: 'warned at 80%, blocked at 100%'};
	}},
	{name: 'compaction with its hand-off', agents: [worker({compact: true, marker: 'none'})], async run(r) {
		return handoff(r, await r.cli('tasks', 'add', 'long work', '--to', 'w1'));
	}},
	{name: 'compaction at compactAt with its hand-off', agents: [worker({marker: 'none'}, {FAKE_AGENT_CONTEXT: '85'})], config: {compactAt: 80}, async run(r) {
		const task = await r.cli('tasks', 'add', 'long work', '--to', 'w1');
		await r.event('agent.nudged', {agent: 'w1', reason: 'compact'}, 40_000);
		return handoff(r, task);
	}},
];

async function handoff(r: Run, task: Record<string, unknown>): Promise<{detail: string}> {
	await r.event('message.received', {to: 'w1', subject: 'recovery: your context was compacted'}, 40_000);
	const journal = path.join(r.product.root, '.cmux', 'journal');
	const files = fs.readdirSync(journal).flatMap(day => {
		const dir = path.join(journal, day, 'attachments');
		return fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => name.startsWith('compaction-w1-')).map(name => path.join(dir, name)) : [];
	});
	const written = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as {task?: {id: string}; pane: string[]};
	if (written.task?.id !== task.id || written.pane.length === 0) {
		throw new Error(`hand-off ${files[0]!} names task ${String(written.task?.id)}`);
	}

	return {detail: `hand-off ${path.basename(files[0]!)} and recovery message`};
}

function gitInit(root: string): void {
	const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], {cwd: root, stdio: 'ignore'});
	git('init', '-q');
	fs.writeFileSync(path.join(root, '.gitignore'), '.cmux/\n.fake-*\n');
	git('add', '.gitignore');
	git('commit', '-q', '-m', 'init');
}

/** Tasks that reached done and later moved on (a done task must never change again). */
function doneThenMoved(events: ProductEvent[]): number {
	const done = new Set<string>();
	let moved = 0;
	for (const event of events.filter(event => event.type === 'task.state')) {
		if (done.has(String(event.task))) {
			moved++;
		} else if (event.to === 'done') {
			done.add(String(event.task));
		}
	}

	return moved;
}

/** Run every task scenario, one product process each, one after the other. */
export async function runTaskScenarios(): Promise<TaskOutcome[]> {
	const outcomes: TaskOutcome[] = [];
	for (const scenario of taskScenarios) {
		const product = await startProduct({healthPort: 0, agents: scenario.agents, tasks: {...tasksConfig, ...scenario.config}});
		const run: Run = {
			product,
			async cli(...args) {
				const {stdout} = await execa(process.execPath, [cliPath, ...args, '--json', '--project', product.root], {stdin: 'ignore'});
				return JSON.parse(stdout) as Record<string, unknown>;
			},
			async event(type, match = {}, ms = 20_000) {
				return product.waitFor(event => matches(event, type, match), ms);
			},
		};
		try {
			gitInit(product.root);
			const result = await scenario.run(run);
			outcomes.push({name: scenario.name, ok: true, ...result, doneThenMoved: doneThenMoved(product.events)});
		} catch (error) {
			outcomes.push({name: scenario.name, ok: false, detail: (error as Error).message.slice(0, 300), doneThenMoved: doneThenMoved(product.events)});
			if (process.env.BENCH_TASKS_DEBUG) {
				console.error(product.events.map(event => JSON.stringify(event)).join('\n'), fs.readFileSync(path.join(product.root, '.cmux', 'logs', 'cmux.log'), 'utf8').split('\n').filter(line => !line.includes('debug')).slice(-30).join('\n'));
			}
		} finally {
			await product.stop();
		}
	}

	return outcomes;
}
