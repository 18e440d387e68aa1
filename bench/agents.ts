import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {recordExitStatus} from '../source/core/agents/launch.js';
import {ControlTmuxClient} from '../source/core/tmux/control-client.js';
import {killTmuxServer} from '../test/helpers/tmux.js';
import {compare, type BenchResult} from './lib/report.js';
import {fullConfig, percentile, processCpuMs, round, sleep, startProduct, type Product} from './lib/product.js';

// Idle CPU is counted over a minute: the agents' safety sweep runs every 30 s, and V8 shrinks the
// heap once, some 40 s after start (a one-off of about 80 ms that a 20 s window holds or misses).
const idleMs = Number(process.env.BENCH_AGENTS_IDLE_MS ?? 60_000);
const baselineMs = 20_000;
const trials = Number(process.env.BENCH_AGENTS_TRIALS ?? 30);

// Not `exec sleep`: the launch wrapper stays to record the exit status, as it does for a real agent's command.
const idleAgents = (count: number) => Array.from({length: count}, (_, index) => ({name: `a${index}`, command: 'sleep 1000000', restart: 'never'}));

/** The product with `count` idle agents and every other service on, once every agent has started. */
async function withAgents<T>(count: number, body: (product: Product) => Promise<T>): Promise<T> {
	const product = await startProduct(await fullConfig({agents: idleAgents(count)}), {files: {'app.log': ''}});
	try {
		let started = 0;
		await product.waitFor(event => event.type === 'agent.started' && ++started === count, 180_000);
		await product.waitFor(event => event.type === 'server.started', 60_000).catch(() => undefined);
		// Measured is the steady state, after the start-up reconciliations.
		await sleep(2000);
		return await body(product);
	} finally {
		await product.stop();
	}
}

/**
 * Exit detection, two ways, on different agents: a window killed with `kill-window` (a tmux command
 * of the bench's own, on agents a0…) and an agent's process ending (SIGTERM to the `sleep` its
 * launch wrapper runs, on other agents: a40… with 100, a3… with 10), each timed to the `agent.exited` event on the
 * orchestrator's stdout. The first process exit is not timed: it runs the exit path for the first
 * time in the process (its code compiled then), as one exit in a product that has been running
 * has. Agents a90… are left for the poller baseline.
 */
async function detection(product: Product, count: number): Promise<{latencies: number[]; tmux: number[]; exits: number[]}> {
	const latencies: number[] = [];
	const exits: number[] = [];
	// The floor on this machine at this load: when the bench's own control client hears of the close.
	const tmux: number[] = [];
	// With 10 agents the window closes are few (they are not held to a target), the exits many.
	const windowTrials = count > 10 ? Math.min(Math.floor(count / 2), trials) : 3;
	const exitAgents = count > 10 ? Array.from({length: trials + 1}, (_, index) => `a${40 + index}`) : Array.from({length: count - windowTrials}, (_, index) => `a${windowTrials + index}`);
	let heard: ((at: number) => void) | undefined;
	// A control connection of the bench's own: a `tmux` subprocess per kill would add its start-up time.
	const killer = new ControlTmuxClient({socket: product.socket, session: product.session});
	killer.on('notification', notification => {
		if (notification.name.endsWith('window-close')) {
			heard?.(performance.now());
		}
	});
	await killer.connect();
	try {
		for (let trial = 0; trial < windowTrials; trial++) {
			const agent = `a${trial}`;
			const exited = product.waitFor(event => event.type === 'agent.exited' && event.agent === agent, 10_000);
			const closed = new Promise<number>(resolve => {
				heard = resolve;
			});
			const started = performance.now();
			await killer.run(['kill-window', '-t', `${product.session}:=${agent}`]);
			latencies.push((await exited).receivedAt - started);
			tmux.push(await closed - started);
			await sleep(50);
		}
	} finally {
		await killer.close();
	}

	// The closes' reconciliations and registry writes are over before the first exit is timed.
	await sleep(1000);
	for (const [index, agent] of exitAgents.entries()) {
		const wrapper = (product.events.find(event => event.type === 'agent.started' && event.agent === agent) as {pid?: number} | undefined)?.pid;
		const child = wrappedCommand(wrapper!);
		const exited = product.waitFor(event => event.type === 'agent.exited' && event.agent === agent, 10_000);
		const started = performance.now();
		process.kill(child!, 'SIGTERM');
		const latency = (await exited).receivedAt - started;
		if (index > 0) {
			exits.push(latency);
		}

		// Each exit is timed on a product at rest: the one before is handled to its end (leftovers
		// scanned for and killed, the window closed), as exits seldom come 50 ms apart.
		await waitForWindowGone(product, agent);
		await sleep(50);
	}

	return {latencies, tmux, exits};
}

/** Wait until the window of `agent` is gone (the product closes it once the exit is handled); throws after 10 s. */
async function waitForWindowGone(product: Product, agent: string): Promise<void> {
	for (let waited = 0; waited < 10_000; waited += 20) {
		const {stdout} = await execa('tmux', ['-L', product.socket, 'list-windows', '-t', product.session, '-F', '#{window_name}'], {reject: false});
		if (!stdout.split('\n').includes(agent)) {
			return;
		}

		await sleep(20);
	}

	throw new Error(`the window of ${agent} was still open 10 s after its exit`);
}

/** The command a launch wrapper (`sh` with pid `wrapper`) runs: its first child, undefined before it started. */
function wrappedCommand(wrapper: number): number | undefined {
	return Number(fs.readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim().split(' ')[0]) || undefined;
}

/**
 * The floor of a process exit at this load: the product's launch wrapper, with the same command, in
 * windows of a tmux server of its own, its status file watched by a bare `node` process that prints
 * the file's name once the status is in it. Timed as the product's exits are: SIGTERM to the
 * command, to the bench reading the line, one exit at rest after another (the first untimed).
 */
async function exitFloor(count: number): Promise<number[]> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-floor-'));
	const socket = `cmux-bench-floor-${process.pid}`;
	const tmux = async (args: string[]) => (await execa('tmux', ['-L', socket, ...args])).stdout;
	const script = `
const fs = require('node:fs');
fs.watch(process.argv[1], (event, file) => {
	if (file?.endsWith('.exit') && fs.readFileSync(process.argv[1] + '/' + file, 'utf8').endsWith('\\n')) process.stdout.write(file + '\\n');
});
process.stdout.write('ready\\n');`;
	const watcher = spawn(process.execPath, ['-e', script, folder], {stdio: ['ignore', 'pipe', 'inherit']});
	const seen = new Map<string, (at: number) => void>();
	watcher.stdout.setEncoding('utf8').on('data', (text: string) => {
		const at = performance.now();
		for (const file of text.split('\n')) {
			seen.get(file)?.(at);
		}
	});
	const latencies: number[] = [];
	try {
		await new Promise<void>(resolve => {
			seen.set('ready', () => {
				resolve();
			});
		});
		await tmux(['new-session', '-d', '-s', 'floor', '-x', '80', '-y', '24']);
		for (let index = 0; index <= count; index++) {
			const file = path.join(folder, `f${index}.exit`);
			fs.writeFileSync(file, '');
			const pid = Number(await tmux(['new-window', '-d', '-t', 'floor:', '-n', `f${index}`, '-e', 'CMUX_AGENT_COMMAND=sleep 1000000', '-e', `CMUX_EXIT_FILE=${file}`,
				'-P', '-F', '#{pane_pid}', 'sh', '-c', recordExitStatus, ';', 'set-option', '-w', '-t', `floor:=f${index}`, 'remain-on-exit', 'on']));
			let child: number | undefined;
			while (!child) {
				await sleep(10);
				child = wrappedCommand(pid);
			}

			const heard = new Promise<number>(resolve => {
				seen.set(`f${index}.exit`, resolve);
			});
			const started = performance.now();
			process.kill(child, 'SIGTERM');
			const latency = await heard - started;
			if (index > 0) {
				latencies.push(latency);
			}

			await tmux(['kill-window', '-t', `floor:=f${index}`]);
			await sleep(50);
		}
	} finally {
		watcher.kill();
		await killTmuxServer(socket);
		fs.rmSync(folder, {recursive: true, force: true});
	}

	return latencies;
}

/**
 * The polling baseline: `tmux list-windows` in a subprocess every 2 s (what CMUX's monitor does),
 * in its own node process; CPU counted with its reaped children, detection as when it notices.
 */
async function poller(socket: string, session: string, seconds: number, kill?: string[]): Promise<{cpuPercent: number; latencies: number[]}> {
	const script = `
const {execFileSync} = require('node:child_process');
const seen = new Map();
const tick = () => {
	const out = execFileSync('tmux', ['-L', ${JSON.stringify(socket)}, 'list-windows', '-t', ${JSON.stringify(session)}, '-F', '#{window_name} #{pane_pid} #{pane_dead}'], {encoding: 'utf8'});
	const names = new Set(out.split('\\n').map(line => line.split(' ')[0]));
	for (const name of seen.keys()) if (!names.has(name)) { process.stdout.write(name + '\\n'); seen.delete(name); }
	for (const name of names) seen.set(name, true);
};
tick();
setInterval(tick, 2000);`;
	const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
	const noticed = new Map<string, number>();
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		for (const name of text.split('\n').filter(Boolean)) {
			noticed.set(name, performance.now());
		}
	});
	await sleep(2500);
	const latencies: number[] = [];
	const before = cpuWithChildren(child.pid!);
	const started = performance.now();
	for (const agent of kill ?? []) {
		const at = performance.now();
		await execa('tmux', ['-L', socket, 'kill-window', '-t', `${session}:=${agent}`]);
		while (!noticed.has(agent)) {
			await sleep(5);
		}

		latencies.push(noticed.get(agent)! - at);
	}

	const left = seconds * 1000 - (performance.now() - started);
	if (left > 0) {
		await sleep(left);
	}

	const cpuPercent = (cpuWithChildren(child.pid!) - before) / (performance.now() - started) * 100;
	child.kill();
	return {cpuPercent, latencies};
}

/** CPU ms of `pid` plus its reaped children (cutime + cstime). */
function cpuWithChildren(pid: number): number {
	const stat = processCpuMs(pid);
	let children = 0;
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		const rest = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
		children = (Number(rest[13]) + Number(rest[14])) * 10;
	} catch {
		// The poller already exited: its own figure is all there is.
	}

	return stat + children;
}

/**
 * Agents: exit detection latency with 10 and 100 agents (process exits, and windows killed from
 * outside against a 2 s `list-windows` poller), and the idle CPU of the orchestrator process with
 * 100 idle agents and every service on, against that poller.
 */
export async function run(): Promise<BenchResult> {
	// Ten agents leave six timed exits a product. Five products give 30, as many as the 100-agent
	// row has: p95 is then the second slowest (of 18, it was the slowest).
	const products10 = 5;
	const rounds10 = [];
	for (let round = 0; round < products10; round++) {
		rounds10.push(await withAgents(10, async product => detection(product, 10)));
	}

	const detection10 = {latencies: rounds10.flatMap(round => round.latencies), tmux: rounds10.flatMap(round => round.tmux), exits: rounds10.flatMap(round => round.exits)};
	const idle = await withAgents(100, async product => {
		const latencies = await detection(product, 100);
		// Beside the product with its 100 agents: the same load.
		const floor = await exitFloor(trials);
		// Quiet again after the kills (their restarts and reconciliations) before CPU is counted.
		await sleep(3000);
		const before = {cpu: product.cpuMs(), child: product.childCpuMs(), at: performance.now()};
		await sleep(idleMs);
		// Read before the baseline runs: its kills (and the product's reaction to them) are not idle time.
		const after = {cpu: product.cpuMs(), child: product.childCpuMs(), at: performance.now()};
		const elapsed = after.at - before.at;
		const base = await poller(product.socket, product.session, baselineMs / 1000, ['a90', 'a91', 'a92', 'a93', 'a94', 'a95', 'a96', 'a97', 'a98', 'a99']);
		return {
			...latencies,
			floor,
			cpuPercent: (after.cpu - before.cpu) / elapsed * 100,
			childPercent: (after.child - before.child) / elapsed * 100,
			memory: product.memory(),
			base,
		};
	});
	const baselineP95 = percentile(idle.base.latencies, 95);
	return {
		title: 'Agents: exit detection and idle cost',
		command: 'npm run bench -- agents',
		figures: [
			compare({name: 'agent process exit → agent.exited p95, 100 agents', target: '≤ 10 ms', value: percentile(idle.exits, 95), unit: 'ms', note: `${idle.exits.length} exits`}, {higherIsBetter: false, meets: value => value <= 10}),
			compare({name: 'agent process exit → agent.exited p50, 100 agents', target: '', value: percentile(idle.exits, 50), unit: 'ms'}, {higherIsBetter: false}),
			{name: 'agent process exit → a bare fs.watch process hears it, p95 (the floor at this load)', target: '', value: percentile(idle.floor, 95), unit: 'ms',
				note: `p50 ${percentile(idle.floor, 50)} ms; the same launch wrapper in a tmux window, beside the product with its 100 agents`},
			compare({name: 'agent process exit → agent.exited p95, 10 agents', target: '≤ 10 ms', value: percentile(detection10.exits, 95), unit: 'ms', note: `${detection10.exits.length} exits over ${products10} products`}, {higherIsBetter: false, meets: value => value <= 10}),
			compare({name: 'window killed from outside → agent.exited p95, 100 agents', target: '', value: percentile(idle.latencies, 95), unit: 'ms',
				baseline: {label: '2 s list-windows poller', value: baselineP95}, note: 'bounded by tmux: see the next row'}, {higherIsBetter: false}),
			compare({name: 'window killed from outside → agent.exited p50, 100 agents', target: '', value: percentile(idle.latencies, 50), unit: 'ms',
				baseline: {label: '2 s list-windows poller', value: percentile(idle.base.latencies, 50)}}, {higherIsBetter: false}),
			compare({name: 'window killed from outside → agent.exited p95, 10 agents', target: '', value: percentile(detection10.latencies, 95), unit: 'ms'}, {higherIsBetter: false}),
			{name: 'kill-window → the bench\'s own tmux -C client hears the close, p95 (the floor at this load)', target: '', value: percentile(idle.tmux, 95), unit: 'ms', note: `p50 ${percentile(idle.tmux, 50)} ms; 10 agents: p95 ${percentile(detection10.tmux, 95)} ms`},
			compare({name: 'orchestrator CPU, 100 idle agents, every service on', target: '≤ 1 % of a core', value: round(idle.cpuPercent, 2), unit: '%',
				baseline: {label: '2 s list-windows poller', value: round(idle.base.cpuPercent, 2)}, note: `its tmux -C control client: ${round(idle.childPercent, 2)} %; over ${idleMs / 1000} s (the poller over ${baselineMs / 1000} s)`},
			{higherIsBetter: false, meets: value => value <= 1}),
			{name: 'orchestrator RSS, 100 agents', target: '', value: idle.memory.rssMb, unit: 'MB', note: `peak ${idle.memory.peakMb} MB`},
		],
		details: {exits10: detection10.exits, exits100: idle.exits, exitFloor100: idle.floor, detection10: detection10.latencies, detection100: idle.latencies, tmux10: detection10.tmux, tmux100: idle.tmux, baselineDetection: idle.base.latencies},
	};
}
