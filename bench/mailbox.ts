import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {fixturesDir} from '../test/helpers/paths.js';
import {killTmuxServer} from '../test/helpers/tmux.js';
import {compare, type BenchResult} from './lib/report.js';
import {fullConfig, percentile, round, sleep, startProduct} from './lib/product.js';

const agentCount = 10;
const latencyRate = Number(process.env.BENCH_MAILBOX_LATENCY_RATE ?? 500);
const latencySeconds = Number(process.env.BENCH_MAILBOX_LATENCY_SECONDS ?? 5);
// Untimed, at the latency rate first: the first messages after start run the delivery code for the first time (compiled then).
const warmupSeconds = Number(process.env.BENCH_MAILBOX_WARMUP_SECONDS ?? 1);
// More is offered than the target, so the figure shows what the router keeps up with, not the offer.
const sustainedRate = Number(process.env.BENCH_MAILBOX_RATE ?? 2500);
const sustainedSeconds = Number(process.env.BENCH_MAILBOX_SECONDS ?? 10);
const baselineMessages = Number(process.env.BENCH_MAILBOX_BASELINE_MESSAGES ?? 1000);

/** What the echo agents wrote to their logs: the lines each received, in order. */
function received(root: string): Map<string, string[]> {
	const byAgent = new Map<string, string[]>();
	for (let index = 0; index < agentCount; index++) {
		const file = path.join(root, `a${index}.log`);
		const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		byAgent.set(`a${index}`, text.split('\n').filter(Boolean).map(line => (JSON.parse(line) as {line: string}).line));
	}

	return byAgent;
}

/** Lost, duplicated and out-of-order lines for messages `prefix 0..count-1` sent round-robin. */
function check(root: string, prefix: string, count: number): {lost: number; duplicated: number; outOfOrder: number} {
	let lost = 0;
	let duplicated = 0;
	let outOfOrder = 0;
	for (const [agent, lines] of received(root)) {
		const seen = new Map<number, number>();
		let last = -1;
		for (const line of lines) {
			const match = new RegExp(`^\\[bench\\] ${prefix} (\\d+)$`).exec(line);
			if (!match) {
				continue;
			}

			const n = Number(match[1]);
			seen.set(n, (seen.get(n) ?? 0) + 1);
			outOfOrder += n < last ? 1 : 0;
			last = Math.max(last, n);
		}

		for (let n = Number(agent.slice(1)); n < count; n += agentCount) {
			const times = seen.get(n) ?? 0;
			lost += times === 0 ? 1 : 0;
			duplicated += Math.max(0, times - 1);
		}
	}

	return {lost, duplicated, outOfOrder};
}

/**
 * Append `count` messages to the mailbox at `perSecond` (in 5 ms slices of complete lines, one
 * write each, as a script appending with `>>` does), round-robin over the agents. Returns the
 * append time of each id.
 */
async function offer(file: string, prefix: string, count: number, perSecond: number): Promise<Map<string, number>> {
	const sent = new Map<string, number>();
	const start = performance.now();
	let next = 0;
	while (next < count) {
		const due = Math.min(count, Math.floor((performance.now() - start) * perSecond / 1000) + 1);
		const lines: string[] = [];
		const at = performance.now();
		for (; next < due; next++) {
			const id = `${prefix}-${next}`;
			sent.set(id, at);
			lines.push(JSON.stringify({id, ts: new Date().toISOString(), from: 'bench', to: `a${next % agentCount}`, subject: `${prefix} ${next}`}));
		}

		if (lines.length > 0) {
			fs.appendFileSync(file, `${lines.join('\n')}\n`);
		}

		await sleep(5);
	}

	return sent;
}

/** Wait until every id in `sent` is in `delivered` (or `ms` passed); resolves with the last delivery time. */
async function allDelivered(sent: Map<string, number>, delivered: Map<string, number>, ms: number): Promise<number> {
	const deadline = performance.now() + ms;
	while (performance.now() < deadline && [...sent.keys()].some(id => !delivered.has(id))) {
		await sleep(20);
	}

	return Math.max(...[...sent.keys()].map(id => delivered.get(id) ?? Number.NaN).filter(Number.isFinite));
}

function echoAgents(root: string): Array<Record<string, unknown>> {
	return Array.from({length: agentCount}, (_, index) => ({
		name: `a${index}`, command: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', 'echo-agent.js'))}`,
		env: {ECHO_LOG: path.join(root, `a${index}.log`)}, restart: 'never',
	}));
}

type ProductFigures = Record<'latencyP50Ms' | 'latencyP95Ms' | 'offeredSeconds' | 'sustainedPerSecond' | 'floodLatencyP95Ms' | 'deliveredEvents' | 'messages'
	| 'lost' | 'duplicated' | 'outOfOrder' | 'orchestratorCpuPercent' | 'retries', number> & {retryReasons: string};

/** The router as users run it, through `cmux-tui run --no-ui`. */
async function measureProduct(): Promise<ProductFigures> {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-mail-')));
	const product = await startProduct(await fullConfig({agents: echoAgents(root)}), {files: {'app.log': ''}});
	const delivered = new Map<string, number>();
	const retries: string[] = [];
	product.on(event => {
		if (event.type === 'message.delivered') {
			delivered.set(String(event.id), event.receivedAt);
		} else if (event.type === 'message.retry') {
			retries.push(String(event.error));
		}
	});
	try {
		let started = 0;
		await product.waitFor(event => event.type === 'agent.started' && ++started === agentCount, 120_000);
		await sleep(1500);
		const file = path.join(product.root, '.cmux', 'mailbox');
		const warmup = await offer(file, 'w', latencyRate * warmupSeconds, latencyRate);
		await allDelivered(warmup, delivered, 60_000);
		const paced = await offer(file, 'l', latencyRate * latencySeconds, latencyRate);
		await allDelivered(paced, delivered, 60_000);
		const latencies = [...paced].map(([id, at]) => (delivered.get(id) ?? Number.POSITIVE_INFINITY) - at);
		const count = sustainedRate * sustainedSeconds;
		const cpuBefore = product.cpuMs();
		const first = performance.now();
		const flood = await offer(file, 's', count, sustainedRate);
		const offeredFor = performance.now() - first;
		const last = await allDelivered(flood, delivered, 120_000);
		const cpu = product.cpuMs() - cpuBefore;
		await sleep(500);
		const floodLatencies = [...flood].map(([id, at]) => (delivered.get(id) ?? Number.POSITIVE_INFINITY) - at);
		const paneCheck = check(root, 's', count);
		const latencyCheck = check(root, 'l', paced.size);
		const warmupCheck = check(root, 'w', warmup.size);
		return {
			latencyP50Ms: percentile(latencies, 50), latencyP95Ms: percentile(latencies, 95),
			offeredSeconds: round(offeredFor / 1000, 2),
			sustainedPerSecond: Math.round(count / ((last - first) / 1000)),
			floodLatencyP95Ms: percentile(floodLatencies, 95),
			deliveredEvents: [...flood.keys()].filter(id => delivered.has(id)).length,
			messages: count,
			lost: paneCheck.lost + latencyCheck.lost + warmupCheck.lost,
			duplicated: paneCheck.duplicated + latencyCheck.duplicated + warmupCheck.duplicated,
			outOfOrder: paneCheck.outOfOrder + latencyCheck.outOfOrder + warmupCheck.outOfOrder,
			orchestratorCpuPercent: round(cpu / (last - first) * 100, 1),
			retries: retries.length,
			retryReasons: [...new Set(retries)].slice(0, 3).join('; '),
		};
	} finally {
		await product.stop();
		fs.rmSync(root, {recursive: true, force: true});
	}
}

/**
 * The old router: poll the file every 2 s, then one `tmux send-keys` subprocess per message, one at
 * a time, into the same kind of agents on a private tmux server.
 */
async function measureBaseline(): Promise<Record<string, number>> {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-base-')));
	const socket = `cmux-bench-base-${process.pid}`;
	const tmux = async (args: string[]) => execa('tmux', ['-L', socket, ...args], {stdin: 'ignore'});
	await tmux(['new-session', '-d', '-s', 'bench', '-n', 'home']);
	for (const agent of echoAgents(root)) {
		await tmux(['new-window', '-d', '-t', 'bench:', '-n', String(agent.name), '-e', `ECHO_LOG=${(agent.env as Record<string, string>).ECHO_LOG}`, String(agent.command)]);
	}

	await sleep(1500);
	const file = path.join(root, 'mailbox');
	fs.writeFileSync(file, '');
	const delivered = new Map<string, number>();
	let offset = 0;
	let stopped = false;
	const poller = (async () => {
		while (!stopped) {
			await sleep(2000);
			const text = fs.readFileSync(file, 'utf8').slice(offset);
			offset += text.length;
			for (const line of text.split('\n').filter(Boolean)) {
				const message = JSON.parse(line) as {id: string; from: string; to: string; subject: string};
				await tmux(['send-keys', '-t', `bench:${message.to}`, `[${message.from}] ${message.subject}`, 'Enter']);
				delivered.set(message.id, performance.now());
			}
		}
	})();
	try {
		const paced = await offer(file, 'l', Math.min(baselineMessages, latencyRate * latencySeconds), latencyRate);
		await allDelivered(paced, delivered, 120_000);
		const latencies = [...paced].map(([id, at]) => (delivered.get(id) ?? Number.POSITIVE_INFINITY) - at);
		const first = performance.now();
		const flood = await offer(file, 's', baselineMessages, sustainedRate);
		const last = await allDelivered(flood, delivered, 120_000);
		await sleep(500);
		const paneCheck = check(root, 's', baselineMessages);
		return {
			latencyP50Ms: percentile(latencies, 50), latencyP95Ms: percentile(latencies, 95),
			sustainedPerSecond: Math.round(baselineMessages / ((last - first) / 1000)),
			messages: baselineMessages, lost: paneCheck.lost, duplicated: paneCheck.duplicated, outOfOrder: paneCheck.outOfOrder,
		};
	} finally {
		stopped = true;
		await poller;
		await killTmuxServer(socket);
		fs.rmSync(root, {recursive: true, force: true});
	}
}

/**
 * Mailbox: latency at 500 msg/s (after a second of it untimed) and a 2,500 msg/s flood for 10 s over 10 echo agents, every message
 * checked in the agents' own logs (lost, duplicated, order per recipient), against a 2 s poller
 * with one `send-keys` per message. `BENCH_MAILBOX_BASELINE=0` skips the baseline.
 */
export async function run(): Promise<BenchResult> {
	const product = await measureProduct();
	console.log('mailbox product:', product);
	const baseline = process.env.BENCH_MAILBOX_BASELINE === '0' ? undefined : await measureBaseline();
	console.log('mailbox baseline:', baseline);
	const base = (value: number | undefined) => value === undefined ? undefined : {label: '2 s poller + one send-keys per message', value};
	return {
		title: 'Mailbox: throughput and latency',
		command: 'npm run bench -- mailbox',
		figures: [
			compare({name: `sustained throughput, ${sustainedRate} msg/s offered for ${sustainedSeconds} s over ${agentCount} agents`, target: '≥ 2000 msg/s', value: product.sustainedPerSecond!, unit: 'msg/s',
				baseline: base(baseline?.sustainedPerSecond), note: `${product.messages} messages; orchestrator CPU ${product.orchestratorCpuPercent} % of a core; p95 append → delivered ${product.floodLatencyP95Ms} ms`},
			{higherIsBetter: true, meets: value => value >= 2000}),
			compare({name: 'lost / duplicated / out of order (agents\' own logs)', target: '0', value: product.lost! + product.duplicated! + product.outOfOrder!, unit: '',
				note: `lost ${product.lost}, duplicated ${product.duplicated}, out of order ${product.outOfOrder}; retries ${product.retries}${product.retries ? ` (${product.retryReasons})` : ''}`}, {higherIsBetter: false, meets: value => value === 0}),
			compare({name: `append → message.delivered p95 at ${latencyRate} msg/s`, target: '≤ 50 ms', value: product.latencyP95Ms!, unit: 'ms',
				baseline: base(baseline?.latencyP95Ms), note: `${latencySeconds} s timed, after ${warmupSeconds} s untimed at the same rate`}, {higherIsBetter: false, meets: value => value <= 50}),
			compare({name: `append → message.delivered p50 at ${latencyRate} msg/s`, target: '', value: product.latencyP50Ms!, unit: 'ms',
				baseline: base(baseline?.latencyP50Ms)}, {higherIsBetter: false}),
		],
		details: {product, baseline},
	};
}
