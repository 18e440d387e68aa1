import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {Store} from '../source/core/store/store.js';
import {readSnapshot} from '../source/ui/data/snapshot.js';
import {freePort} from '../test/helpers/project.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repo, 'bin', 'cmux-tui');
const samples = 300;

/**
 * Store bounds: `/health`, `/metrics` and the TUI's snapshot read against a separate
 * `cmux-tui run --no-ui` process whose store holds 1,000 and then 1,000,000 events (plus a
 * tenth as many finished messages and a hundredth as many alerts, within retention's defaults).
 * Target: the 1M figures within 1.5× of the 1k ones.
 */
export async function run(): Promise<Record<string, unknown>> {
	const small = await measure(1000);
	const large = await measure(1_000_000);
	const ratio = (key: 'healthP50' | 'metricsP50' | 'snapshotP50') => Number((large[key] / small[key]).toFixed(2));
	const figures = {
		target: 'p50 at 1M events within 1.5x of p50 at 1k events',
		'1k': small,
		'1M': large,
		ratios: {health: ratio('healthP50'), metrics: ratio('metricsP50'), snapshot: ratio('snapshotP50')},
		pass: ratio('healthP50') <= 1.5 && ratio('snapshotP50') <= 1.5 && ratio('metricsP50') <= 1.5,
		machine: {cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version},
	};
	const out = path.join(repo, 'bench', 'results');
	fs.mkdirSync(out, {recursive: true});
	fs.writeFileSync(path.join(out, 'store.json'), `${JSON.stringify(figures, null, 2)}\n`);
	return figures;
}

async function measure(events: number) {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-store-')));
	const socket = `cmux-bench-store-${process.pid}-${events}`;
	const port = await freePort();
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	// Retention must not prune the filled store during the measurement.
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({healthPort: port, retention: {events: {maxRows: 2_000_000}}}));
	const dbFile = path.join(root, '.cmux', 'cmux.db');
	const fillStarted = performance.now();
	fill(dbFile, events);
	const fillMs = Math.round(performance.now() - fillStarted);
	const child = execa(process.execPath, [cli, 'run', '--no-ui'], {cwd: root, env: {NO_COLOR: '1', CMUX_TMUX_SOCKET: socket}, reject: false, stdin: 'ignore'});
	try {
		await until(async () => (await get(port, '/health').catch(() => undefined)) !== undefined, 30_000);
		const health = await latencies(async () => get(port, '/health'));
		const metrics = await latencies(async () => get(port, '/metrics'));
		const store = Store.open(dbFile);
		const snapshot = await latencies(async () => readSnapshot(store));
		store.close();
		return {events, fillMs, healthP50: health.p50, healthP95: health.p95, metricsP50: metrics.p50, metricsP95: metrics.p95, snapshotP50: snapshot.p50, snapshotP95: snapshot.p95};
	} finally {
		child.kill('SIGTERM');
		await child;
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false, stdin: 'ignore'});
		fs.rmSync(root, {recursive: true, force: true});
	}
}

/** `events` events over the last six days, a tenth as many finished messages (≤ 100k), a hundredth as many alerts (≤ 10k). */
function fill(file: string, events: number): void {
	const store = Store.open(file);
	const start = Date.now() - 6 * 86_400_000;
	const step = (6 * 86_400_000) / events;
	const types = ['agent.state', 'message.received', 'message.delivered', 'agent.heartbeat_missed', 'log.alert'] as const;
	for (let done = 0; done < events; done += 50_000) {
		store.transaction(() => {
			for (let index = done; index < Math.min(events, done + 50_000); index++) {
				store.insertEvent({type: types[index % types.length]!, agent: `w${index % 100}`, ts: new Date(start + index * step).toISOString()} as never);
			}
		});
	}

	const messages = Math.min(100_000, events / 10);
	const position = {dev: 0, ino: 0, offset: 0, line: 0};
	for (let done = 0; done < messages; done += 10_000) {
		const items = Array.from({length: Math.min(10_000, messages - done)}, (_, offset) => ({kind: 'message' as const, line: done + offset, message: {id: `b${done + offset}`, ts: new Date().toISOString(), from: 'bench', to: `w${offset % 100}`, subject: `s ${done + offset}`, status: 'submitted' as const}}));
		store.messages.ingest('bench', items, position);
		store.transaction(() => {
			for (const item of items) {
				store.messages.markDelivered(item.message.id, new Date().toISOString());
			}
		});
	}

	store.transaction(() => {
		for (let index = 0; index < Math.min(10_000, events / 100); index++) {
			store.alerts.insert({ts: new Date(start + index * 1000).toISOString(), file: 'app.log', count: 1, sample: ['ERROR bench']});
		}
	});
	store.close();
}

async function latencies(action: () => Promise<unknown>): Promise<{p50: number; p95: number}> {
	for (let index = 0; index < 20; index++) {
		await action();
	}

	const times: number[] = [];
	for (let index = 0; index < samples; index++) {
		const started = performance.now();
		await action();
		times.push(performance.now() - started);
	}

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
