import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import Database from 'better-sqlite3';
import {cliPath} from '../test/helpers/paths.js';
import {makeProject} from '../test/helpers/project.js';
import {killTmuxServer, privateTmux} from '../test/helpers/tmux.js';
import {fillStore} from './lib/fill.js';
import {compare, type BenchResult} from './lib/report.js';

/**
 * `npm run bench -- ui`: what the TUI costs on top of the very same orchestrator run headless, in
 * the same run, on the real CLI: idle CPU, CPU and router throughput during a 1,000 msg/s mailbox
 * flood, and resident memory with 100 agents over a store of 1,000,000 events and 100,000
 * messages. The TUI runs in a 200×50 pane of a private tmux server; the agents live on another
 * private server.
 */
type Mode = 'headless' | 'tui';

/** CPU time (ms) a process has used so far, from /proc. */
function cpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
	return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Start the orchestrator on a fresh project (its store filled with `storedEvents` first, when given),
 * headless or with the TUI in a tmux pane; resolves once its agents run.
 */
async function start(mode: Mode, agents: number, storedEvents?: number) {
	const ui = privateTmux(`bench-ui-${mode}`);
	const agentsSocket = `${ui.socket}-agents`;
	const project = makeProject({healthPort: 0, session: 'bench', tmuxSocket: agentsSocket, agents: [
		{name: 'sink', command: 'cat > /dev/null'},
		...Array.from({length: agents - 1}, (_, index) => ({name: `idle-${index}`, command: 'sleep 100000'})),
	], mailbox: {maxAttempts: 50}});
	const dbFile = path.join(project.root, '.cmux', 'cmux.db');
	if (storedEvents) {
		fillStore(dbFile, storedEvents);
	}

	let pid: number;
	let child: ReturnType<typeof spawn> | undefined;
	if (mode === 'headless') {
		child = spawn(process.execPath, [cliPath, 'run', '--no-ui', '--project', project.root], {stdio: 'ignore'});
		pid = child.pid!;
	} else {
		await ui.run(['new-session', '-d', '-s', 'ui', '-x', '200', '-y', '50']);
		await ui.run(['respawn-pane', '-k', '-t', 'ui', '--', process.execPath, cliPath, '--project', project.root]);
		pid = Number(await ui.run(['display-message', '-p', '-t', 'ui', '#{pane_pid}']));
	}

	const db = () => new Database(dbFile, {readonly: true, fileMustExist: true});
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			const reader = db();
			const running = (reader.prepare("SELECT count(*) AS n FROM agents WHERE state = 'running'").get() as {n: number}).n;
			reader.close();
			if (running >= agents) {
				break;
			}
		} catch {
			// The database is not created yet: keep waiting.
		}

		if (Date.now() > deadline) {
			throw new Error(`${mode}: the agents did not start within 120 s`);
		}

		await sleep(250);
	}

	await sleep(3000);
	return {
		pid,
		mailbox: path.join(project.root, '.cmux', 'mailbox'),
		delivered(): number {
			const reader = db();
			try {
				return (reader.prepare("SELECT count(*) AS n FROM messages WHERE state = 'delivered'").get() as {n: number}).n;
			} finally {
				reader.close();
			}
		},
		async stop(): Promise<void> {
			child?.kill('SIGTERM');
			if (mode === 'tui') {
				await ui.run(['send-keys', '-t', 'ui', 'q']).catch(() => undefined);
			}

			await sleep(2000);
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Already gone, as it should be.
			}

			await ui.kill();
			await killTmuxServer(agentsSocket);
			project.cleanup();
		},
	};
}

/** Percent of one core a process used over `seconds`. */
async function cpuOver(pid: number, seconds: number): Promise<number> {
	const before = cpuMs(pid);
	await sleep(seconds * 1000);
	return Number(((cpuMs(pid) - before) / (seconds * 10)).toFixed(2));
}

/** Append `perSecond` messages a second for `seconds` to `sink`, in 10 batches a second. */
async function flood(file: string, perSecond: number, seconds: number): Promise<number> {
	const started = Date.now();
	let sent = 0;
	for (let tick = 0; tick < seconds * 10; tick++) {
		const lines = Array.from({length: perSecond / 10}, () => JSON.stringify({id: `f${sent++}`, from: 'bench', to: 'sink', subject: `flood ${sent}`})).join('\n');
		fs.appendFileSync(file, `${lines}\n`);
		const due = started + ((tick + 1) * 100);
		if (due > Date.now()) {
			await sleep(due - Date.now());
		}
	}

	return sent;
}

async function idleAndFlood(mode: Mode, together?: () => Promise<void>): Promise<Record<string, number>> {
	const run = await start(mode, 5);
	try {
		// Side by side: both modes start measuring at the same moment, under the same load.
		await together?.();
		const idlePercent = await cpuOver(run.pid, 10);
		const seconds = 10;
		const before = cpuMs(run.pid);
		const started = Date.now();
		const sent = await flood(run.mailbox, 1000, seconds);
		// Throughput: messages delivered per second from the flood's start until all are in (at most 60 s more).
		const deadline = Date.now() + 60_000;
		while (run.delivered() < sent && Date.now() < deadline) {
			await sleep(200);
		}

		const elapsed = (Date.now() - started) / 1000;
		const delivered = run.delivered();
		return {
			idlePercent,
			floodCpuPercent: Number(((cpuMs(run.pid) - before) / (elapsed * 10)).toFixed(1)),
			sent,
			delivered,
			deliveredPerSecond: Math.round(delivered / elapsed),
			rssMb: rssMb(run.pid),
		};
	} finally {
		await run.stop();
	}
}

/** Resident memory with 100 agents over a store of 1,000,000 events, 100,000 delivered messages and 10,000 alerts. */
async function memory(mode: Mode): Promise<number> {
	const run = await start(mode, 100, 1_000_000);
	try {
		await sleep(5000);
		return rssMb(run.pid);
	} finally {
		await run.stop();
	}
}

/** Resolves for every caller once `count` callers wait; rejects after 180 s (the other side failed to start). */
function barrier(count: number): () => Promise<void> {
	let waiting = 0;
	let open!: () => void;
	const opened = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error('bench ui: the other mode did not start within 180 s'));
		}, 180_000);
		open = () => {
			clearTimeout(timer);
			resolve();
		};
	});
	return async () => {
		if (++waiting === count) {
			open();
		}

		return opened;
	};
}

/** Each figure of several runs: the mean (the rounds' own figures stay in `rounds`). */
function mean(runs: Array<Record<string, number>>): Record<string, number> {
	return Object.fromEntries(Object.keys(runs[0]!).map(key => [key, Number((runs.reduce((sum, one) => sum + one[key]!, 0) / runs.length).toFixed(2))]));
}

export async function run(): Promise<BenchResult> {
	// The router's throughput follows the machine's load, which drifts during a run: by default headless
	// and TUI run side by side (each its own tmux servers), measured over the same seconds, so both see
	// the same load; `BENCH_UI_SIDE_BY_SIDE=0` runs them one after another in the order H T T H.
	const rounds = Math.max(1, Number(process.env.BENCH_UI_ROUNDS ?? 2));
	const sideBySide = process.env.BENCH_UI_SIDE_BY_SIDE !== '0';
	const runs: Record<Mode, Array<Record<string, number>>> = {headless: [], tui: []};
	for (let round = 0; round < rounds; round++) {
		if (sideBySide) {
			const together = barrier(2);
			const [headlessRun, tuiRun] = await Promise.all([idleAndFlood('headless', together), idleAndFlood('tui', together)]);
			runs.headless.push(headlessRun);
			runs.tui.push(tuiRun);
			console.log('side by side', {headless: headlessRun, tui: tuiRun});
			continue;
		}

		for (const mode of (round % 2 === 0 ? ['headless', 'tui'] : ['tui', 'headless']) as Mode[]) {
			runs[mode].push(await idleAndFlood(mode));
			console.log(mode, runs[mode].at(-1));
		}
	}

	const headless = mean(runs.headless);
	const tui = mean(runs.tui);
	const rssHeadless = await memory('headless');
	const rssTui = await memory('tui');
	const order = sideBySide ? `headless and TUI side by side, mean of ${rounds} round(s)` : `headless and TUI alternated (H T T H…), mean of ${rounds} run(s) each`;
	const sameHeadless = (value: number) => ({label: 'the same orchestrator headless', value});
	const stored = '100 agents, 1,000,000 events, 100,000 messages, 10,000 alerts';
	return {
		title: 'TUI: its cost over the same orchestrator headless',
		command: 'npm run bench -- ui',
		figures: [
			compare({name: 'idle CPU, 5 agents, TUI in a 200×50 pane', target: '≤ headless + 1 point', value: tui.idlePercent!, unit: '% of a core', baseline: sameHeadless(headless.idlePercent!),
				note: `${order}; over 10 s`}, {higherIsBetter: false, meets: value => value - headless.idlePercent! <= 1}),
			compare({name: 'CPU during a 1,000 msg/s mailbox flood for 10 s, TUI', target: '≤ headless + 25 points', value: tui.floodCpuPercent!, unit: '% of a core', baseline: sameHeadless(headless.floodCpuPercent!),
				note: `until every message was delivered; ${order}`}, {higherIsBetter: false, meets: value => value - headless.floodCpuPercent! <= 25}),
			compare({name: 'router throughput during the flood, TUI', target: '≥ 0.90× headless', value: tui.deliveredPerSecond!, unit: 'msg/s', baseline: sameHeadless(headless.deliveredPerSecond!),
				note: `delivered ${tui.delivered} of ${tui.sent} (headless ${headless.delivered} of ${headless.sent})`}, {higherIsBetter: true, meets: value => value / headless.deliveredPerSecond! >= 0.9}),
			compare({name: `RSS, TUI, ${stored}`, target: '≤ 150 MB', value: rssTui, unit: 'MB', baseline: sameHeadless(rssHeadless)}, {higherIsBetter: false, meets: value => value <= 150}),
			compare({name: `RSS, headless, ${stored}`, target: '≤ 150 MB', value: rssHeadless, unit: 'MB'}, {higherIsBetter: false, meets: value => value <= 150}),
		],
		details: {order, headless, tui, rounds: runs},
	};
}
