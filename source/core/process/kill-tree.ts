import {sleep} from '../clock.js';
import {processesWithCookie} from './cookie.js';
import {descendantsOf, isAlive, listProcesses, type ProcessInfo} from './table.js';

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
 */
export async function killTree(options: KillTreeOptions): Promise<KillTreeResult> {
	const started = Date.now();
	const known = new Map<number, string>();
	const killed = new Set<number>();
	const scan = () => {
		const table = listProcesses();
		const byPid = new Map(table.map(row => [row.pid, row]));
		const members: ProcessInfo[] = [];
		for (const pid of [...options.roots, ...descendantsOf(table, options.roots)]) {
			const row = byPid.get(pid);
			if (row && pid !== process.pid) {
				members.push(row);
			}
		}

		if (options.cookie) {
			members.push(...processesWithCookie(options.cookie, table));
		}

		for (const row of members) {
			if (!known.has(row.pid)) {
				known.set(row.pid, row.start);
			}
		}

		return members.filter(row => known.get(row.pid) === row.start);
	};

	const signalAll = (signal: NodeJS.Signals, rows: ProcessInfo[]) => {
		for (const row of rows) {
			try {
				process.kill(row.pid, signal);
				if (signal === 'SIGKILL') {
					killed.add(row.pid);
				}
			} catch {}
		}
	};

	if (!options.force) {
		const termDeadline = started + options.grace;
		for (let rows = scan(); rows.length > 0 && Date.now() < termDeadline; rows = scan()) {
			signalAll('SIGTERM', rows.filter(row => !killed.has(row.pid)));
			await sleep(pollMs);
		}
	}

	const killDeadline = Date.now() + (options.killWait ?? 2000);
	let rows = scan();
	while (rows.length > 0 && Date.now() < killDeadline) {
		signalAll('SIGKILL', rows);
		await sleep(pollMs / 2);
		rows = scan();
	}

	const survivors = [...known.keys()].filter(pid => isAlive(pid) && rows.some(row => row.pid === pid));
	return {targets: [...known.keys()], killed: [...killed], survivors, ms: Date.now() - started};
}
