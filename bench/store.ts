import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {Store} from '../source/core/store/store.js';
import {LiveView} from '../source/ui/data/live-view.js';
import {freePort} from '../test/helpers/project.js';
import {killTmuxServer} from '../test/helpers/tmux.js';
import {fillStore} from './lib/fill.js';
import {compare, type BenchResult} from './lib/report.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repo, 'bin', 'cmux-tui');
const samples = 300;

/**
 * Store bounds: `/health`, `/metrics` and the TUI's snapshot read against a separate
 * `cmux-tui run --no-ui` process whose store holds 1,000 and then 1,000,000 events (1k: 1,000
 * messages and 1,000 alerts; 1M: 100,000 and 10,000). Both runs fill the TUI's lists (500 rows each).
 * Target: the 1M figures within 1.5× of the 1k ones.
 */
export async function run(): Promise<BenchResult> {
	const small = await launch(1000);
	const large = await launch(1_000_000).catch(async (error: unknown) => {
		await small.stop();
		throw error;
	});
	try {
		// Both orchestrators run side by side and are asked in turn, so load from elsewhere on the
		// machine falls on both alike.
		const health = await paired(small, large, async target => get(target.port, '/health'));
		const metrics = await paired(small, large, async target => get(target.port, '/metrics'));
		const snapshot = await paired(small, large, async target => new LiveView(target.store).data());
		const atSmall = (value: number) => ({label: 'the same at 1,000 events', value});
		const rows = (what: string, pair: Pair, note: string) => [
			compare({name: `${what} p50, 1,000,000 stored events`, target: '≤ 1.5× the 1,000-event figure', value: pair.large.p50, unit: 'ms', baseline: atSmall(pair.small.p50), note},
				{higherIsBetter: false, meets: value => value <= 1.5 * pair.small.p50}),
			compare({name: `${what} p95, 1,000,000 stored events`, target: '', value: pair.large.p95, unit: 'ms', baseline: atSmall(pair.small.p95)}, {higherIsBetter: false}),
		];
		return {
			title: 'Store: report reads at 1,000 and at 1,000,000 stored events',
			command: 'npm run bench -- store',
			figures: [
				...rows('GET /health', health, `${samples} requests each, taken in turn on two cmux-tui run --no-ui processes`),
				...rows('GET /metrics', metrics, `${samples} requests each`),
				...rows('TUI refresh (the live view\'s snapshot of the store)', snapshot, `${samples} each, read from the bench's process on each product's store; 500 messages and alerts listed in both`),
			],
			details: {events: {'1k': small.events, '1M': large.events}, fillMs: {'1k': small.fillMs, '1M': large.fillMs}, health, metrics, snapshot},
		};
	} finally {
		await small.stop();
		await large.stop();
	}
}

interface Target {
	events: number;
	fillMs: number;
	port: number;
	store: Store;
	stop: () => Promise<void>;
}

interface Pair {
	small: {p50: number; p95: number};
	large: {p50: number; p95: number};
}

/** A filled project and its `cmux-tui run --no-ui`, once every service has started. */
async function launch(events: number): Promise<Target> {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-store-')));
	const socket = `cmux-bench-store-${process.pid}-${events}`;
	const port = await freePort();
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	// Retention must not prune the filled store during the measurement.
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({healthPort: port, retention: {events: {maxRows: 2_000_000}}}));
	const dbFile = path.join(root, '.cmux', 'cmux.db');
	const fillStarted = performance.now();
	fillStore(dbFile, events);
	const fillMs = Math.round(performance.now() - fillStarted);
	const child = execa(process.execPath, [cli, 'run', '--no-ui'], {cwd: root, env: {NO_COLOR: '1', CMUX_TMUX_SOCKET: socket}, reject: false, stdin: 'ignore'});
	const logFile = path.join(root, '.cmux', 'logs', 'cmux.log');
	const stop = async () => {
		child.kill('SIGTERM');
		await child;
		await killTmuxServer(socket);
		fs.rmSync(root, {recursive: true, force: true});
	};

	try {
		// The health port opens first: wait until every service has started.
		await until(async () => (await get(port, '/health').catch(() => '')).includes('"running":true') && fs.readFileSync(logFile, 'utf8').includes('started health-watch'), 30_000);
	} catch (error) {
		const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-800) : '';
		await stop();
		throw new Error(`${events} events: ${(error as Error).message} (log: ${log})`, {cause: error});
	}

	const store = Store.open(dbFile);
	return {events, fillMs, port, store, stop: async () => {
		store.close();
		await stop();
	}};
}

/** `samples` timings of `action` on each target, taken in turn (after a warm-up). */
async function paired(small: Target, large: Target, action: (target: Target) => Promise<unknown>): Promise<Pair> {
	const times: {small: number[]; large: number[]} = {small: [], large: []};
	for (let index = 0; index < samples + 20; index++) {
		for (const [key, target] of [['small', small], ['large', large]] as const) {
			const started = performance.now();
			await action(target);
			if (index >= 20) {
				times[key].push(performance.now() - started);
			}
		}
	}

	return {small: percentiles(times.small), large: percentiles(times.large)};
}

function percentiles(times: number[]): {p50: number; p95: number} {
	times.sort((a, b) => a - b);
	const at = (q: number) => Number(times[Math.floor(q * (times.length - 1))]!.toFixed(2));
	return {p50: at(0.5), p95: at(0.95)};
}

async function get(port: number, pathname: string): Promise<string> {
	return new Promise((resolve, reject) => {
		http.get({host: '127.0.0.1', port, path: pathname, agent: false}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', chunk => {
				body += chunk;
			});
			response.on('end', () => {
				resolve(body);
			});
		}).on('error', reject);
	});
}

async function until(check: () => Promise<boolean>, timeout: number): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!(await check())) {
		if (Date.now() > deadline) {
			throw new Error('the orchestrator did not answer /health in time');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}
