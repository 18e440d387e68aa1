// Log watcher benchmark: alert latency (append → `log.alert`) and scan throughput on a large log
// against `grep -cE` with the same patterns, with peak RSS. `SIZE_MB` overrides the 500 MB default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {execa} from 'execa';
import {validateConfig} from '../source/core/config/load.js';
import {resolvePaths} from '../source/core/config/paths.js';
import {defaultLogIgnore, defaultLogPatterns} from '../source/core/config/schema.js';
import type {CmuxEvent} from '../source/core/events.js';
import {nullLogger} from '../source/core/logger.js';
import {FileFollower} from '../source/core/files/follower.js';
import {asText} from '../source/core/files/lines.js';
import {LogWatch} from '../source/core/logs/log-watch.js';
import {LogMatcher} from '../source/core/logs/matcher.js';
import {Orchestrator} from '../source/core/orchestrator.js';
import {Store} from '../source/core/store/store.js';

const mb = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latency(samples = 100): Promise<{p50: number; p95: number; max: number; samples: number}> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-logs-'));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	const log = path.join(root, 'app.log');
	fs.writeFileSync(log, '');
	const config = validateConfig({healthPort: 0, logs: [{path: 'app.log', cooldown: '1ms'}]});
	const paths = resolvePaths(root);
	const store = Store.open(paths.dbFile);
	const orchestrator = new Orchestrator({config, paths, store, tmux: {run: async () => [], close: async () => undefined}, log: nullLogger, factories: [context => new LogWatch(context)]});
	let resolveAlert: (() => void) | undefined;
	orchestrator.on('event', (event: CmuxEvent) => {
		if (event.type === 'log.alert') {
			resolveAlert?.();
		}
	});
	await orchestrator.start();
	const times: number[] = [];
	try {
		for (let n = 0; n < samples; n++) {
			const alerted = new Promise<void>(resolve => {
				resolveAlert = resolve;
			});
			const started = performance.now();
			// The matching line comes last, so the alert also waits out the short traceback grace time.
			fs.appendFileSync(log, `${new Date().toISOString()} INFO request ${n}\n${new Date().toISOString()} ERROR request ${n} failed\n`);
			await alerted;
			times.push(performance.now() - started);
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	} finally {
		await orchestrator.stop();
		store.close();
		fs.rmSync(root, {recursive: true, force: true});
	}

	times.sort((a, b) => a - b);
	return {p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times.at(-1)!), samples};
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

async function scan(file: string): Promise<{ms: number; matches: number}> {
	const matcher = new LogMatcher(defaultLogPatterns, defaultLogIgnore);
	const {dev, ino} = fs.statSync(file);
	let matches = 0;
	const started = performance.now();
	await new Promise<void>((resolve, reject) => {
		const follower = new FileFollower({
			file,
			resume: {dev, ino, offset: 0, line: 0},
			onChunk: asText(text => {
				matches += matcher.scan(text).length;
			}),
			onIdle() {
				matches += matcher.flush().length;
				follower.stop();
				resolve();
			},
			onError: reject,
		});
		follower.start();
	});
	return {ms: performance.now() - started, matches};
}

/** `grep -cE` in the environment's locale, or with `LC_ALL=C` (byte matching, GNU grep's fastest). */
async function grep(file: string, cLocale = false): Promise<{ms: number; matches: number}> {
	const started = performance.now();
	const {stdout} = await execa('grep', ['-cE', defaultLogPatterns.join('|'), file], {reject: false, ...(cLocale ? {env: {LC_ALL: 'C'}} : {})});
	return {ms: performance.now() - started, matches: Number(stdout.trim())};
}

function round(value: number, digits = 1): number {
	return Math.round(value * (10 ** digits)) / (10 ** digits);
}

export async function run(): Promise<Record<string, unknown>> {
	// The follower's safety poll is unref'd (it must not keep an orchestrator alive); here nothing
	// else holds the event loop open while a measurement waits for it.
	const keepAlive = setInterval(() => {}, 1000);
	try {
		return await measure();
	} finally {
		clearInterval(keepAlive);
	}
}

async function measure(): Promise<Record<string, unknown>> {
	const alertLatencyMs = await latency();
	const sizeMb = Number(process.env.SIZE_MB ?? 500);
	const file = path.join(os.tmpdir(), `cmux-bench-${process.pid}.log`);
	try {
		const {bytes, matches: expected} = generate(file, sizeMb);
		await grep(file); // Warm the page cache for both.
		const rssBefore = process.memoryUsage().rss;
		let rssPeak = rssBefore;
		const sampler = setInterval(() => {
			rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
		}, 20);
		// Best of three, interleaved, so a busy machine disturbs both sides alike.
		const runs: Array<{ours: {ms: number; matches: number}; grepRun: {ms: number; matches: number}; grepC: {ms: number; matches: number}}> = [];
		for (let round = 0; round < 3; round++) {
			runs.push({ours: await scan(file), grepRun: await grep(file), grepC: await grep(file, true)});
		}

		clearInterval(sampler);
		const best = (pick: (run: typeof runs[number]) => {ms: number; matches: number}) => runs.map(pick).sort((a, b) => a.ms - b.ms)[0]!;
		const ours = best(run => run.ours);
		const grepRun = best(run => run.grepRun);
		const grepC = best(run => run.grepC);
		rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
		const ourMbps = (bytes / mb) / (ours.ms / 1000);
		const grepMbps = (bytes / mb) / (grepRun.ms / 1000);
		const result = {
			alertLatencyMs,
			scan: {
				fileMb: round(bytes / mb, 0),
				matchingLines: expected,
				ourMatches: ours.matches,
				grepMatches: grepRun.matches,
				ourMBps: round(ourMbps),
				grepMBps: round(grepMbps),
				ratioToGrep: round(ourMbps / grepMbps, 2),
				grepCLocaleMBps: round((bytes / mb) / (grepC.ms / 1000)),
				ratioToGrepCLocale: round(ourMbps / ((bytes / mb) / (grepC.ms / 1000)), 2),
				grepLocale: process.env.LC_ALL ?? process.env.LANG ?? 'unset',
				rssBeforeMb: round(rssBefore / mb),
				rssPeakMb: round(rssPeak / mb),
			},
		};
		console.log(JSON.stringify({logs: result}, null, 2));
		return result;
	} finally {
		fs.rmSync(file, {force: true});
	}
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
	await run();
}
