import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {AgentsService} from '../source/core/agents/service.js';
import type {CmuxEvent} from '../source/core/events.js';
import {nullLogger} from '../source/core/logger.js';
import {isAlive, listProcesses} from '../source/core/process/table.js';
import {openProject} from '../source/core/project.js';
import {createOrchestrator} from '../source/core/run.js';
import {ControlTmuxClient} from '../source/core/tmux/control-client.js';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'fixtures');
const idleMs = Number(process.env.BENCH_AGENTS_IDLE_MS ?? 20_000);

async function withOrchestrator<T>(agents: Array<Record<string, unknown>>, body: (context: {socket: string; root: string; events: CmuxEvent[]; service: AgentsService; api: ReturnType<typeof createOrchestrator>['orchestrator']['api']}) => Promise<T>): Promise<T> {
	const socket = `cmux-bench-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-')));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({session: 'bench', tmuxSocket: socket, healthPort: 0, agents}));
	const events: CmuxEvent[] = [];
	let service!: AgentsService;
	const running = createOrchestrator(openProject({project: root, env: {}}), {log: nullLogger, factories: [context => (service = new AgentsService(context))]});
	running.orchestrator.on('event', event => events.push(event));
	try {
		await running.start();
		return await body({socket, root, events, service, api: running.orchestrator.api});
	} finally {
		await running.shutdown('bench');
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		fs.rmSync(root, {recursive: true, force: true});
	}
}

const idleAgents = (count: number) => Array.from({length: count}, (_, index) => ({name: `a${index}`, command: 'exec sleep 1000000', restart: 'never'}));

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

async function waitUntil(check: () => boolean, timeout = 30_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error('bench: timed out');
		}

		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

/** From `kill-window` (sent on a second control connection) to the agent.exited event. */
async function detection(count: number, trials: number): Promise<{p50: number; p95: number; trials: number}> {
	return withOrchestrator(idleAgents(count), async ({socket, events}) => {
		await waitUntil(() => events.filter(event => event.type === 'agent.started').length === count, 120_000);
		const killer = new ControlTmuxClient({socket, session: 'bench'});
		const latencies: number[] = [];
		await killer.connect();
		// Let the start-up reconciliations finish: measured is the steady state.
		await new Promise(resolve => setTimeout(resolve, 1000));
		try {
			for (let trial = 0; trial < trials; trial++) {
				const agent = `a${trial}`;
				const started = performance.now();
				await killer.run(['kill-window', '-t', `bench:=${agent}`]);
				await waitUntil(() => events.some(event => event.type === 'agent.exited' && (event as {agent: string}).agent === agent));
				latencies.push(performance.now() - started);
			}
		} finally {
			await killer.close();
		}

		return {p50: percentile(latencies, 50), p95: percentile(latencies, 95), trials};
	});
}

/** utime+stime (+ reaped children) of this process, in ms, from /proc. */
/**
 * CPU ms used so far by this process (process.cpuUsage), its reaped children (cutime+cstime) and
 * its live children (the `tmux -C` control client), from /proc.
 */
function cpuMs(): number {
	const ticks = (pid: number | 'self', from: number, count: number) => {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return fields.slice(from, from + count).reduce((sum, field) => sum + Number(field), 0) * 10;
		} catch {
			return 0;
		}
	};

	const usage = process.cpuUsage();
	const children = listProcesses().filter(row => row.ppid === process.pid).reduce((sum, row) => sum + ticks(row.pid, 11, 2), 0);
	return (usage.user + usage.system) / 1000 + ticks('self', 13, 2) + children;
}

async function idleCpu(): Promise<{orchestratorPercent: number; baselinePercent: number; seconds: number}> {
	const orchestratorPercent = await withOrchestrator(idleAgents(100), async ({events}) => {
		await waitUntil(() => events.filter(event => event.type === 'agent.started').length === 100, 120_000);
		await new Promise(resolve => setTimeout(resolve, 1000));
		const before = cpuMs();
		await new Promise(resolve => setTimeout(resolve, idleMs));
		return (cpuMs() - before) / idleMs * 100;
	});
	const socket = `cmux-bench-base-${process.pid}`;
	await execa('tmux', ['-L', socket, 'new-session', '-d', '-s', 'bench']);
	for (let index = 0; index < 100; index++) {
		await execa('tmux', ['-L', socket, 'new-window', '-d', '-t', 'bench:', '-n', `a${index}`, 'exec sleep 1000000']);
	}

	const before = cpuMs();
	const deadline = Date.now() + idleMs;
	while (Date.now() < deadline) {
		await execa('tmux', ['-L', socket, 'list-windows', '-t', 'bench', '-F', '#{window_name} #{pane_pid} #{pane_dead}']);
		await new Promise(resolve => setTimeout(resolve, 2000));
	}

	const baselinePercent = (cpuMs() - before) / idleMs * 100;
	await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
	return {orchestratorPercent: Math.round(orchestratorPercent * 1000) / 1000, baselinePercent: Math.round(baselinePercent * 1000) / 1000, seconds: idleMs / 1000};
}

async function killTimes(trials: number): Promise<{graceMs: number; p50: number; p95: number; max: number; survivors: number; trials: number}> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-pids-'));
	const pidsFile = path.join(folder, 'pids.json');
	const graceMs = 500;
	try {
		return await withOrchestrator([{name: 'fork', command: `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixtures, 'agents', 'forking-agent.js'))}`, env: {PIDS_FILE: pidsFile, IGNORE_SIGTERM: '1'}, restart: 'never', stopTimeout: `${graceMs}ms`}], async ({api}) => {
			const times: number[] = [];
			let survivors = 0;
			for (let trial = 0; trial < trials; trial++) {
				if (trial > 0) {
					await api.call('agents.restart', {name: 'fork'});
				}

				await waitUntil(() => fs.existsSync(pidsFile));
				const pids = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as Record<string, number>;
				fs.rmSync(pidsFile);
				const started = performance.now();
				await api.call('agents.kill', {name: 'fork'});
				times.push(performance.now() - started);
				survivors += Object.values(pids).filter(pid => isAlive(pid)).length;
			}

			return {graceMs, p50: percentile(times, 50), p95: percentile(times, 95), max: percentile(times, 100), survivors, trials};
		});
	} finally {
		fs.rmSync(folder, {recursive: true, force: true});
	}
}

/** Detection latency, idle CPU against a polling baseline, and kill time of the forking fixture. */
export async function run(): Promise<Record<string, unknown>> {
	const only = process.env.BENCH_AGENTS_ONLY;
	if (only === 'kill') {
		const results = {kill: await killTimes(20)};
		console.log(JSON.stringify({agents: results}, null, 2));
		return results;
	}

	if (only === 'detection') {
		const results = {detection10: await detection(10, 10), detection100: await detection(100, 30)};
		console.log(JSON.stringify({agents: results}, null, 2));
		return results;
	}

	const results: Record<string, unknown> = {
		detection10: await detection(10, 10),
		detection100: await detection(100, 30),
		idleCpu: await idleCpu(),
		kill: await killTimes(20),
	};
	console.log(JSON.stringify({agents: results}, null, 2));
	return results;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	await run();
}
