import {systemClock, type Clock} from '../clock.js';
import {processesWithCookieYielding} from './cookie.js';
import {descendantsOf, isAlive, listProcessesYielding, startOf, type ProcessInfo} from './table.js';

const isLinux = process.platform === 'linux';

export interface KillTreeOptions {
	/** Processes whose whole subtree is ours (an agent's pane process, the server's leader). */
	roots: number[];
	/** A cookie value: every process carrying it is ours too, wherever it was re-parented. */
	cookie?: string;
	/** How long SIGTERM gets before SIGKILL (ms). */
	grace: number;
	/** Skip SIGTERM and go straight to SIGKILL. */
	force?: boolean;
	/** After SIGKILL, how long to wait for the kernel before giving up and reporting survivors (ms). */
	killWait?: number;
	/** Time for the grace period and the polls (tests pass a fake one). */
	clock?: Clock;
	/** Sends a signal (tests wrap `process.kill` to see which signal went when). */
	signal?: (pid: number, signal: NodeJS.Signals) => void;
}

export interface KillTreeResult {
	/** Every process that was part of the tree. */
	targets: number[];
	/** Processes that needed SIGKILL. */
	killed: number[];
	/** Processes still alive when the watchdog gave up (should be empty). */
	survivors: number[];
	ms: number;
}

const pollMs = 20;

/**
 * Stop a whole process tree: SIGTERM, up to `grace` to exit, SIGKILL to what remains, then verify.
 * The tree is re-scanned while it dies, so children forked during the grace period and daemons that
 * setsid'ed away (found by cookie) are caught too. Only the roots, their descendants and cookie
 * carriers are ever signalled, and each pid is checked against its start time before a signal so
 * a recycled pid is never hit. Always returns, within grace + killWait + a few polls.
 *
 * Cost: the polls while the tree dies read the environment only of processes not seen before (a
 * process's cookie is fixed when it starts); the tree is declared gone only after a full scan that
 * reads every process's environment again. The scans yield to the event loop every couple of ms,
 * so the rest of the process (another agent's exit, a tmux notification) is not held up by them.
 */
export async function killTree(options: KillTreeOptions): Promise<KillTreeResult> {
	const clock = options.clock ?? systemClock;
	const send = options.signal ?? ((pid: number, signal: NodeJS.Signals) => process.kill(pid, signal));
	const sleep = async (ms: number) => new Promise<void>(resolve => {
		clock.setTimeout(resolve, ms);
	});
	const started = clock.now();
	const known = new Map<number, string>();
	const killed = new Set<number>();
	/** `pid:start` of processes already sent SIGTERM: each gets exactly one (a second is "force quit" to many programs). */
	const termed = new Set<string>();
	/** `pid:start` of processes whose environment was read and did not carry the cookie. */
	const notCarriers = new Set<string>();
	const scan = async (full: boolean) => {
		const table = await listProcessesYielding();
		const byPid = new Map(table.map(row => [row.pid, row]));
		const members = new Map<number, ProcessInfo>();
		for (const pid of [...options.roots, ...descendantsOf(table, options.roots)]) {
			const row = byPid.get(pid);
			if (row && pid !== process.pid) {
				members.set(pid, row);
			}
		}

		if (options.cookie) {
			const unread = table.filter(row => !members.has(row.pid) && (full || !notCarriers.has(`${row.pid}:${row.start}`)));
			const carriers = await processesWithCookieYielding(options.cookie, unread);
			const found = new Set(carriers.map(row => row.pid));
			for (const row of unread) {
				if (!found.has(row.pid)) {
					notCarriers.add(`${row.pid}:${row.start}`);
				}
			}

			for (const row of carriers) {
				members.set(row.pid, row);
			}
		}

		// A process found in the tree before stays a member while it lives (same start), even once
		// re-parented to init or when its environment can no longer be read.
		for (const [pid, start] of known) {
			const row = byPid.get(pid);
			if (!members.has(pid) && row?.start === start && pid !== process.pid) {
				members.set(pid, row);
			}
		}

		for (const row of members.values()) {
			if (!known.has(row.pid)) {
				known.set(row.pid, row.start);
			}
		}

		return [...members.values()].filter(row => known.get(row.pid) === row.start);
	};

	const signalAll = (signal: NodeJS.Signals, rows: ProcessInfo[]) => {
		for (const row of rows) {
			// A moment may have passed since the scan: the pid is checked again just before the signal
			// (elsewhere than Linux, rows are always fresh from a scan: see below).
			if (isLinux && startOf(row.pid) !== row.start) {
				continue;
			}

			try {
				send(row.pid, signal);
				if (signal === 'SIGKILL') {
					killed.add(row.pid);
				}
			} catch {
				// ESRCH: it exited by itself; EPERM cannot happen for our own children. Survivors are checked after.
			}
		}
	};

	/** Until `deadline`, wait for these processes to be gone (a cheap /proc/PID/stat read each). */
	const dead = async (rows: ProcessInfo[], deadline: number, interval: number) => {
		while (clock.now() < deadline && rows.some(row => isAlive(row.pid))) {
			await sleep(Math.max(1, Math.min(interval, deadline - clock.now())));
		}
	};

	const alive = (rows: ProcessInfo[]) => rows.some(row => isAlive(row.pid));
	let rows: ProcessInfo[] = [];
	if (!options.force) {
		const termDeadline = started + options.grace;
		rows = await scan(true);
		while (rows.length > 0) {
			const fresh = rows.filter(row => !killed.has(row.pid) && !termed.has(`${row.pid}:${row.start}`));
			for (const row of fresh) {
				termed.add(`${row.pid}:${row.start}`);
			}

			signalAll('SIGTERM', fresh);
			await dead(rows, Math.min(termDeadline, clock.now() + pollMs), 5);
			if (clock.now() >= termDeadline && alive(rows)) {
				// Grace is over: SIGKILL at once what is known; the full scan after it finds the rest.
				break;
			}

			// New children forked meanwhile are found cheaply; "all gone" is only believed after a full scan.
			rows = await scan(!alive(rows));
		}
	} else {
		rows = await scan(true);
	}

	if (!isLinux && rows.length > 0) {
		rows = await scan(false);
	}

	const killDeadline = clock.now() + (options.killWait ?? 2000);
	while (rows.length > 0 && clock.now() < killDeadline) {
		signalAll('SIGKILL', rows);
		await dead(rows, killDeadline, 2);
		rows = await scan(true);
	}

	const survivors = [...known.keys()].filter(pid => isAlive(pid) && rows.some(row => row.pid === pid));
	return {targets: [...known.keys()], killed: [...killed], survivors, ms: clock.now() - started};
}
