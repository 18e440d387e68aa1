// Log watcher bench, on the product as users run it: line → alert latency with the default cooldown,
// and the scan throughput of a large log (1 GB by default, `SIZE_MB` overrides) against `grep -cE`
// with the same patterns in the same locale, with the orchestrator's peak memory.
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
	const big = path.join(product.root, 'big.log');
	let figures: {ms: number; grepMs: number; bytes: number; expected: number; grepMatches: number; ours: number; rssBefore: number; peak: number};
	try {
		await product.waitFor(event => event.type === 'server.started', 60_000).catch(() => undefined);
		const {bytes, matches: expected} = generate(big, sizeMb);
		await grep(big); // Warm the page cache for both.
		// One alert first, as in a product that has been running: the first alert of a process opens
		// its tmux connection and more, once; the scan is timed in the steady state (and that match
		// is subtracted from ours below).
		const warmed = product.waitFor(event => event.type === 'log.alert' && event.file === 'app.log', 10_000);
		fs.appendFileSync(path.join(product.root, 'app.log'), `${new Date().toISOString()} ERROR warm-up\n`);
		await warmed;
		await sleep(500);
		const rssBefore = product.memory().rssMb;
		const grepBefore = await grep(big);
		const ms = await scan(product, big, bytes);
		const grepAfter = await grep(path.join(product.root, 'app.log'));
		const peak = product.memory().peakMb;
		await product.stop();
		const ours = product.events.filter(event => event.type === 'log.alert' && event.file === 'app.log').reduce((sum, event) => sum + Number(event.count), 0) - 1;
		figures = {ms, grepMs: Math.min(grepBefore.ms, grepAfter.ms), bytes, expected, grepMatches: grepBefore.matches, ours, rssBefore, peak};
	} finally {
		await product.stop();
	}

	const ourMBps = round((figures.bytes / mb) / (figures.ms / 1000));
	const grepMBps = round((figures.bytes / mb) / (figures.grepMs / 1000));
	return {
		title: 'Logs: scan throughput and alert latency',
		command: 'npm run bench -- logs',
		figures: [
			compare({name: `scan throughput, ${Math.round(figures.bytes / mb)} MB log, 1 % matching lines, shipped patterns`, target: '≥ 1.0× grep -E', value: ourMBps, unit: 'MB/s',
				baseline: {label: `grep -cE, locale ${process.env.LC_ALL || process.env.LANG || 'unset'}, best of 2`, value: grepMBps},
				note: `matching lines: ours ${figures.ours}, grep ${figures.grepMatches}, expected ${figures.expected}`},
			{higherIsBetter: true, meets: value => value >= grepMBps}),
			{name: 'orchestrator memory while scanning', target: 'flat', value: figures.peak, unit: 'MB peak RSS', note: `RSS before the scan ${figures.rssBefore} MB`},
			compare({name: 'log line → log.alert p95, default cooldown', target: '≤ 20 ms', value: percentile(latencies, 95), unit: 'ms'}, {higherIsBetter: false, meets: value => value <= 20}),
			compare({name: 'log line → log.alert p50', target: '', value: percentile(latencies, 50), unit: 'ms'}, {higherIsBetter: false}),
		],
		details: {latencies, scan: figures},
	};
}
