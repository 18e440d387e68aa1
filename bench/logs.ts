// Log watcher bench, on the product as users run it: line → alert latency with the default cooldown,
// and the scan throughput of two large logs in turn (1 GB each by default, `SIZE_MB` overrides)
// against `grep -cE` with the same patterns in the same locale, with the orchestrator's peak memory.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import {defaultLogPatterns} from '../source/core/config/schema.js';
import {compare, type BenchResult} from './lib/report.js';
import {fullConfig, percentile, round, sleep, startProduct, type Product} from './lib/product.js';

const mb = 1024 * 1024;
const latencyFiles = Number(process.env.BENCH_LOGS_SAMPLES ?? 40);

/**
 * One ERROR line appended to each of `latencyFiles` watched logs in turn (each its own cooldown
 * window, so each line is the first of its window and alerts at once, as with the default 5 min
 * cooldown), timed from the append to the `log.alert` event on the orchestrator's stdout.
 */
async function latency(): Promise<number[]> {
	const logs = Array.from({length: latencyFiles}, (_, index) => ({path: `l${index}.log`}));
	const files = Object.fromEntries(logs.map(log => [log.path, 'INFO start\n']));
	const product = await startProduct(await fullConfig({agents: [], logs}), {files});
	try {
		await product.waitFor(event => event.type === 'server.started', 60_000).catch(() => undefined);
		await sleep(1000);
		const times: number[] = [];
		for (const log of logs) {
			const alerted = product.waitFor(event => event.type === 'log.alert' && event.file === log.path, 10_000);
			const started = performance.now();
			fs.appendFileSync(path.join(product.root, log.path), `${new Date().toISOString()} ERROR request failed in ${log.path}\n`);
			times.push((await alerted).receivedAt - started);
			await sleep(50);
		}

		return times;
	} finally {
		await product.stop();
	}
}

/** A log of about `sizeMb` with 1% matching lines, written as one repeated block (flat memory). */
function generate(file: string, sizeMb: number): {bytes: number; matches: number} {
	const lines: string[] = [];
	let blockMatches = 0;
	for (let n = 0; n < 10_000; n++) {
		const ts = new Date(1_767_225_600_000 + (n * 37)).toISOString();
		if (n % 100 === 42) {
			blockMatches++;
			lines.push(`${ts} ERROR worker-${n % 7} request ${n} failed: upstream returned 502 after 3 retries`);
		} else {
			lines.push(`${ts} INFO worker-${n % 7} GET /api/items/${n} 200 ${n % 97}ms user=${n % 13} trace=${(n * 2_654_435_761).toString(16)}`);
		}
	}

	const block = Buffer.from(`${lines.join('\n')}\n`);
	const repeats = Math.ceil((sizeMb * mb) / block.length);
	const fd = fs.openSync(file, 'w');
	try {
		for (let index = 0; index < repeats; index++) {
			fs.writeSync(fd, block);
		}
	} finally {
		fs.closeSync(fd);
	}

	return {bytes: block.length * repeats, matches: blockMatches * repeats};
}

/** `grep -cE` with the shipped patterns, in the bench's locale (the orchestrator's too). */
async function grep(file: string): Promise<{ms: number; matches: number}> {
	const started = performance.now();
	const {stdout} = await execa('grep', ['-cE', defaultLogPatterns.join('|'), file], {reject: false});
	return {ms: performance.now() - started, matches: Number(stdout.trim())};
}

/**
 * The product scans the big file: it is moved into place as the watched `app.log` (a replaced log is
 * read from its start), and the time runs until the stored read position reaches its end.
 */
async function scan(product: Product, big: string, bytes: number): Promise<number> {
	const db = new Database(path.join(product.root, '.cmux', 'cmux.db'), {readonly: true});
	const position = db.prepare('SELECT offset, ino FROM ingest_offsets WHERE source = ?');
	try {
		const target = path.join(product.root, 'app.log');
		const {ino} = fs.statSync(big);
		const started = performance.now();
		fs.renameSync(big, target);
		for (;;) {
			const row = position.get('log:app.log') as {offset: number; ino: number} | undefined;
			if (row && row.ino === ino && row.offset >= bytes) {
				return performance.now() - started;
			}

			await sleep(2);
		}
	} finally {
		db.close();
	}
}

export async function run(): Promise<BenchResult> {
	const latencies = await latency();
	const sizeMb = Number(process.env.SIZE_MB ?? 1024);
	const product = await startProduct(await fullConfig({agents: []}), {files: {'app.log': ''}});
	const [first, second] = [path.join(product.root, 'first.log'), path.join(product.root, 'second.log')];
	let figures: {coldMs: number; ms: number; grepMs: number; bytes: number; expected: number; grepMatches: number; ours: number; rssBefore: number; peak: number};
	try {
		await product.waitFor(event => event.type === 'server.started', 60_000).catch(() => undefined);
		const {bytes, matches: expected} = generate(first, sizeMb);
		generate(second, sizeMb);
		// The files' 2 GB are written back now, not during a scan: the store's checkpoints call fsync,
		// which would wait for that writeback and stall the product in the middle of a timed scan.
		await execa('sync');
		// One alert first, as in a product that has been running: the first alert of a process opens
		// its tmux connection and more, once (that match is subtracted from ours below).
		const warmed = product.waitFor(event => event.type === 'log.alert' && event.file === 'app.log', 10_000);
		fs.appendFileSync(path.join(product.root, 'app.log'), `${new Date().toISOString()} ERROR warm-up\n`);
		await warmed;
		await sleep(500);
		const rssBefore = product.memory().rssMb;
		// Each file is read by grep right before the product reads it, so both find it in the page cache.
		const grepFirst = await grep(first);
		// The first gigabyte a fresh process scans runs partly before V8 has compiled the scanning code
		// and sized its heap; the second is the steady state of a watcher that has been running.
		const coldMs = await scan(product, first, bytes);
		// A line replaces the first log before the second is timed: a replaced file is dropped when the
		// watcher closes it, and the kernel frees its cached pages then (about 0.35 s per GB here).
		const line = path.join(product.root, 'line.log');
		fs.writeFileSync(line, `${new Date().toISOString()} INFO between the scans\n`);
		await scan(product, line, fs.statSync(line).size);
		const grepSecond = await grep(second);
		const ms = await scan(product, second, bytes);
		const peak = product.memory().peakMb;
		await product.stop();
		const ours = product.events.filter(event => event.type === 'log.alert' && event.file === 'app.log').reduce((sum, event) => sum + Number(event.count), 0) - 1;
		figures = {coldMs, ms, grepMs: Math.min(grepFirst.ms, grepSecond.ms), bytes, expected: 2 * expected, grepMatches: grepFirst.matches + grepSecond.matches, ours, rssBefore, peak};
	} finally {
		await product.stop();
	}

	const throughput = (ms: number) => round((figures.bytes / mb) / (ms / 1000));
	const grepMBps = throughput(figures.grepMs);
	const baseline = {label: `grep -cE, locale ${process.env.LC_ALL || process.env.LANG || 'unset'}, best of 2`, value: grepMBps};
	const size = `${Math.round(figures.bytes / mb)} MB log, 1 % matching lines, shipped patterns`;
	return {
		title: 'Logs: scan throughput and alert latency',
		command: 'npm run bench -- logs',
		figures: [
			compare({name: `scan throughput, the first log after start (${size})`, target: '≥ 1.0× grep -E', value: throughput(figures.coldMs), unit: 'MB/s', baseline,
				note: `matching lines over both scans: ours ${figures.ours}, grep ${figures.grepMatches}, expected ${figures.expected}`},
			{higherIsBetter: true, meets: value => value >= grepMBps}),
			compare({name: `scan throughput, steady state: the second log (${size})`, target: '', value: throughput(figures.ms), unit: 'MB/s', baseline}, {higherIsBetter: true}),
			{name: 'orchestrator memory while scanning', target: 'flat', value: figures.peak, unit: 'MB peak RSS', note: `RSS before the scans ${figures.rssBefore} MB`},
			compare({name: 'log line → log.alert p95, default cooldown', target: '≤ 20 ms', value: percentile(latencies, 95), unit: 'ms'}, {higherIsBetter: false, meets: value => value <= 20}),
			compare({name: 'log line → log.alert p50', target: '', value: percentile(latencies, 50), unit: 'ms'}, {higherIsBetter: false}),
		],
		details: {latencies, scan: figures},
	};
}
