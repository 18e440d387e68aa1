import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {execa} from 'execa';
import {cliPath, fixturesDir} from '../../test/helpers/paths.js';
import {killTmuxServer} from '../../test/helpers/tmux.js';

/** One event as `run --no-ui --json` prints it, stamped with when the bench read it. */
export type ProductEvent = Record<string, unknown> & {type: string; receivedAt: number};

/**
 * The product as users run it: `node bin/cmux-tui run --no-ui --json --project DIR` in a process of
 * its own, with the config the bench gives it. Events are read from its stdout as they come.
 */
export interface Product {
	root: string;
	socket: string;
	session: string;
	pid: number;
	events: ProductEvent[];
	/** Resolve with the first event (already seen or later) that `match` accepts. */
	waitFor(match: (event: ProductEvent) => boolean, ms?: number): Promise<ProductEvent>;
	/** Call `listener` on every event from now on; returns the unsubscribe function. */
	on(listener: (event: ProductEvent) => void): () => void;
	/** CPU time used so far by the orchestrator process (utime + stime), in ms, from /proc. */
	cpuMs(): number;
	/** CPU ms of the orchestrator's live child processes (its `tmux -C` control client). */
	childCpuMs(): number;
	/** Resident and peak resident memory of the orchestrator, MB. */
	memory(): {rssMb: number; peakMb: number};
	/** SIGTERM, wait for the exit, kill the private tmux server, remove the project. */
	stop(): Promise<void>;
}

let counter = 0;

/** A free TCP port on 127.0.0.1 (for the health port and the dev server). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/**
 * The services a user turns on: health port, a watched log, the managed dev server (the mailbox and
 * the agents are always on). `agents` and `logs` are the bench's own.
 */
export async function fullConfig(options: {agents: Array<Record<string, unknown>>; logs?: Array<Record<string, unknown>>; extra?: Record<string, unknown>}): Promise<Record<string, unknown>> {
	const serverPort = await freePort();
	return {
		healthPort: await freePort(),
		agents: options.agents,
		logs: options.logs ?? [{path: 'app.log'}],
		server: {command: `node ${JSON.stringify(path.join(fixturesDir, 'server', 'dev-server.js'))}`, port: serverPort, healthUrl: `http://127.0.0.1:${serverPort}/health`},
		...options.extra,
	};
}

/** `BENCH_NODE_ARGS` (space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): extra node flags for the product, to profile it. */
function profileArgs(): string[] {
	return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** Start the product on a fresh project holding `config` (session and tmux socket are the bench's own). */
export async function startProduct(config: Record<string, unknown>, options: {files?: Record<string, string>; env?: Record<string, string>; nodeArgs?: string[]} = {}): Promise<Product> {
	const socket = `cmux-bench-${process.pid}-${++counter}`;
	const session = 'bench';
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-')));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({session, tmuxSocket: socket, ...config}));
	for (const [name, text] of Object.entries(options.files ?? {})) {
		fs.writeFileSync(path.join(root, name), text);
	}

	const child: ChildProcess = spawn(process.execPath, [...options.nodeArgs ?? [], ...profileArgs(), cliPath, 'run', '--no-ui', '--json', '--project', root], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1', ...options.env}});
	const events: ProductEvent[] = [];
	const listeners = new Set<(event: ProductEvent) => void>();
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
	});
	readline.createInterface({input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY}).on('line', line => {
		const receivedAt = performance.now();
		let event: ProductEvent;
		try {
			event = {...JSON.parse(line) as {type: string}, receivedAt};
		} catch {
			// Not an event (`--json` prints only events; a stray line is not the bench's business).
			return;
		}

		events.push(event);
		for (const listener of listeners) {
			listener(event);
		}
	});
	const exited = new Promise<void>(resolve => child.once('exit', () => {
		resolve();
	}));
	const pid = child.pid!;
	const product: Product = {
		root, socket, session, pid, events,
		async waitFor(match, ms = 60_000) {
			const found = events.find(event => match(event));
			if (found) {
				return found;
			}

			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					listeners.delete(listener);
					reject(new Error(`bench: no matching event within ${ms} ms (orchestrator stderr: ${stderr.trim() || 'empty'})`));
				}, ms);
				const listener = (event: ProductEvent) => {
					if (match(event)) {
						clearTimeout(timer);
						listeners.delete(listener);
						resolve(event);
					}
				};

				listeners.add(listener);
				void exited.then(() => {
					if (listeners.has(listener)) {
						clearTimeout(timer);
						listeners.delete(listener);
						reject(new Error(`bench: the orchestrator exited (stderr: ${stderr.trim() || 'empty'})`));
					}
				});
			});
		},
		on(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		cpuMs: () => processCpuMs(pid),
		childCpuMs: () => childPids(pid).reduce((sum, child) => sum + processCpuMs(child), 0),
		memory() {
			const status = readProc(pid, 'status');
			const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
			return {rssMb: round(kb('VmRSS') / 1024), peakMb: round(kb('VmHWM') / 1024)};
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
				await exited;
				clearTimeout(timer);
			}

			// The dev server outlives `run` by design (as agents do): `cmux-tui stop` ends what the project started.
			await execa(process.execPath, [cliPath, 'stop', '--project', root], {reject: false, stdin: 'ignore'});
			await killTmuxServer(socket);
			fs.rmSync(root, {recursive: true, force: true});
		},
	};
	await product.waitFor(event => event.type === 'orchestrator.started', 30_000);
	return product;
}

function readProc(pid: number, file: string): string {
	try {
		return fs.readFileSync(`/proc/${pid}/${file}`, 'latin1');
	} catch {
		// The process is gone: it has no figures any more.
		return '';
	}
}

/** utime + stime of `pid` in ms (clock ticks of 10 ms, as on every Linux the bench runs on). */
export function processCpuMs(pid: number): number {
	const stat = readProc(pid, 'stat');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}

function childPids(pid: number): number[] {
	const children: number[] = [];
	for (const task of fs.readdirSync(`/proc/${pid}/task`, {withFileTypes: true})) {
		for (const child of readProc(pid, `task/${task.name}/children`).trim().split(/\s+/).filter(Boolean)) {
			children.push(Number(child));
		}
	}

	return children;
}

export function round(value: number, digits = 1): number {
	return Math.round(value * (10 ** digits)) / (10 ** digits);
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
}

export async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}
