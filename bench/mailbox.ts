import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {configSchema} from '../source/core/config/schema.js';
import {resolvePaths} from '../source/core/config/paths.js';
import {nullLogger} from '../source/core/logger.js';
import {appendMessage} from '../source/core/mailbox/append.js';
import {MailboxService} from '../source/core/mailbox/service.js';
import {Orchestrator} from '../source/core/orchestrator.js';
import {openStore} from '../source/core/project.js';
import type {TmuxClient} from '../source/core/tmux/client.js';
import {ControlTmuxClient} from '../source/core/tmux/control-client.js';
import {ExecTmuxClient} from '../source/core/tmux/exec-client.js';
import {fixturesDir} from '../test/helpers/paths.js';
import {makeProject} from '../test/helpers/project.js';
import {privateTmux} from '../test/helpers/tmux.js';

const agentCount = 10;
const rate = 100;
const latencyMessages = 500;
const throughputMessages = 1000;

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/** Poll `check` until true; gives up after `ms` so a lost message shows in the figures instead of hanging the bench. */
async function waitUntil(check: () => boolean, ms = 60_000, every = 20): Promise<void> {
	const deadline = performance.now() + ms;
	while (!check() && performance.now() < deadline) {
		await sleep(every);
	}
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10;
}

/** A private tmux server with `agentCount` echo agents, each logging what it receives. */
async function setup() {
	const project = makeProject({healthPort: 0});
	const tmux = privateTmux('bench');
	await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'shell', '-x', '200', '-y', '50']);
	const logs: string[] = [];
	for (let index = 0; index < agentCount; index++) {
		const log = path.join(project.root, `a${index}.log`);
		logs.push(log);
		await tmux.run(['new-window', '-d', '-t', 'cmux', '-n', `a${index}`, '-e', `ECHO_LOG=${log}`, process.execPath, path.join(fixturesDir, 'agents', 'echo-agent.js')]);
	}

	await sleep(500);
	/** How many lines the agents received, and how many of `expected` (subjects) never arrived. */
	const received = (expected: string[]) => {
		const lines = logs.flatMap(log => fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map(line => (JSON.parse(line) as {line: string}).line) : []);
		const seen = new Set(lines);
		return {receivedInPanes: lines.length, expectedInPanes: expected.length, lost: expected.filter(line => !seen.has(line)).length};
	};

	return {project, tmux, received, async cleanup() {
		await tmux.kill();
		project.cleanup();
	}};
}

/** Append `count` messages at `perSecond` (all at once when undefined); returns the append times by id. */
async function stream(file: string, prefix: string, count: number, perSecond?: number): Promise<Map<string, number>> {
	const sent = new Map<string, number>();
	const start = performance.now();
	for (let index = 0; index < count; index++) {
		if (perSecond) {
			const due = start + (index * 1000 / perSecond);
			if (due > performance.now()) {
				await sleep(due - performance.now());
			}
		}

		const id = `${prefix}${index}`;
		sent.set(id, performance.now());
		await appendMessage(file, {id, from: 'bench', to: `a${index % agentCount}`, subject: `${prefix} ${index}`});
	}

	return sent;
}

/** What each agent's log shows for every message streamed with `prefix` (`[FROM] SUBJECT`). */
function expectedLines(prefix: string, count: number): string[] {
	return Array.from({length: count}, (_value, index) => `[bench] ${prefix} ${index}`);
}

/**
 * The router as the orchestrator runs it: the persistent control-mode client (source/core/run.ts),
 * or with `exec` a tmux subprocess per command (how it was first measured).
 */
async function measureRouter(client: 'control' | 'exec'): Promise<Record<string, unknown>> {
	const env = await setup();
	const paths = resolvePaths(env.project.root);
	const store = openStore(paths);
	const tmux: TmuxClient = client === 'control' ? new ControlTmuxClient({socket: env.tmux.socket, session: 'cmux'}) : new ExecTmuxClient(env.tmux.socket);
	const counts = new Map<string, number>();
	if (process.env.BENCH_MAILBOX_COUNT === '1') {
		const run = tmux.run.bind(tmux);
		tmux.run = async args => {
			const key = args.filter((_arg, index) => index === 0 || args[index - 1] === ';').join('+');
			counts.set(key, (counts.get(key) ?? 0) + 1);
			return run(args);
		};
	}

	const orchestrator = new Orchestrator({config: configSchema.parse({healthPort: 0}), paths, store, tmux, log: nullLogger, factories: [context => new MailboxService(context)]});
	const delivered = new Map<string, number>();
	orchestrator.on('event', event => {
		if (event.type === 'message.delivered') {
			delivered.set(event.id, performance.now());
		}
	});
	try {
		await orchestrator.start();
		return {
			...await measureLoad(paths.mailboxFile, delivered, 20),
			...env.received([...expectedLines('l', latencyMessages), ...expectedLines('t', throughputMessages)]),
			...(counts.size > 0 ? {tmuxCommands: Object.fromEntries(counts)} : {}),
		};
	} finally {
		await orchestrator.stop();
		await tmux.close();
		store.close();
		await env.cleanup();
	}
}

/**
 * The two measurements every router gets: latency of a paced stream (`rate` messages/s), then the
 * throughput of a burst. `delivered` maps message ids to the time each was confirmed.
 */
async function measureLoad(file: string, delivered: Map<string, number>, pollMs: number): Promise<Record<string, number>> {
	const sent = await stream(file, 'l', latencyMessages, rate);
	await waitUntil(() => delivered.size >= latencyMessages, 60_000, pollMs);
	const latencies = [...sent].map(([id, at]) => (delivered.get(id) ?? Number.POSITIVE_INFINITY) - at);
	const started = performance.now();
	const burst = await stream(file, 't', throughputMessages);
	await waitUntil(() => [...burst.keys()].every(id => delivered.has(id)), 60_000, pollMs);
	const seconds = (performance.now() - started) / 1000;
	// Let the last lines reach the agents' logs before they are counted.
	await sleep(300);
	return {
		latencyP50Ms: percentile(latencies, 0.5),
		latencyP95Ms: percentile(latencies, 0.95),
		throughputPerSecond: Math.round(throughputMessages / seconds),
	};
}

/** The old router: poll the file every 2 s, then `tmux send-keys` per message, one at a time. */
async function measureBaseline(): Promise<Record<string, unknown>> {
	const env = await setup();
	const file = path.join(env.project.root, '.cmux', 'mailbox');
	const delivered = new Map<string, number>();
	let offset = 0;
	let stopped = false;
	const poller = (async () => {
		while (!stopped) {
			await sleep(2000);
			const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(offset) : '';
			offset += text.length;
			for (const line of text.split('\n').filter(Boolean)) {
				const message = JSON.parse(line) as {id: string; from: string; to: string; subject: string};
				await execa('tmux', ['-L', env.tmux.socket, 'send-keys', '-t', `cmux:${message.to}`, `[${message.from}] ${message.subject}`, 'Enter']);
				delivered.set(message.id, performance.now());
			}
		}
	})();
	try {
		return {
			...await measureLoad(file, delivered, 50),
			...env.received([...expectedLines('l', latencyMessages), ...expectedLines('t', throughputMessages)]),
		};
	} finally {
		stopped = true;
		await poller;
		await env.cleanup();
	}
}

function line(label: string, figures: Record<string, unknown>): string {
	return `${label} p50 ${String(figures.latencyP50Ms)} ms, p95 ${String(figures.latencyP95Ms)} ms, ${String(figures.throughputPerSecond)} msg/s, panes ${String(figures.receivedInPanes)}/${String(figures.expectedInPanes)}, lost ${String(figures.lost)}`;
}

/**
 * Mailbox: end-to-end latency (append → message.delivered) at 100 msg/s over 10 echo agents,
 * throughput of a 1,000-message burst with every message checked in the panes, through the router
 * on the control-mode client the orchestrator uses, and the same load through a baseline that polls
 * every 2 s and runs `tmux send-keys` per message (the old router). `BENCH_MAILBOX_EXEC=1` also
 * measures the router on the exec client (a tmux subprocess per command); `BENCH_MAILBOX_BASELINE=0`
 * skips the baseline.
 */
export async function run(): Promise<Record<string, unknown>> {
	const router = await measureRouter('control');
	console.log(line('mailbox router (control client):', router));
	const figures: Record<string, Record<string, unknown>> = {router};
	if (process.env.BENCH_MAILBOX_EXEC === '1') {
		figures.routerExec = await measureRouter('exec');
		console.log(line('mailbox router (exec client):   ', figures.routerExec));
	}

	if (process.env.BENCH_MAILBOX_BASELINE !== '0') {
		figures.baseline = await measureBaseline();
		console.log(line('mailbox baseline:               ', figures.baseline));
	}

	return figures;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
	await run();
}
