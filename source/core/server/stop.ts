import {sleep} from '../clock.js';
import {killTree, type KillTreeResult} from '../process/kill-tree.js';
import {isOurs, portHolders, type PortHolder} from './port-owner.js';
import type {ServerRecord} from './record.js';

export interface StopResult extends KillTreeResult {
	/** The server leader that was stopped, when one was running. */
	pid?: number;
	/** Nothing listens on the port any more (true when no port is configured). */
	portFree: boolean;
	/** Processes on the port that are not ours: reported, never signalled. */
	strangers: PortHolder[];
}

/** How long SIGKILL gets before survivors are reported. */
const killWait = 2000;

/**
 * Stop the server's whole tree: its leader, every descendant (workers that do not hold the port
 * included) and every process carrying its cookie (daemons that double-forked away). Processes
 * found on the port join the tree only when they are ours; a stranger is handed to `onStranger`
 * and left alone. SIGTERM → `grace` → SIGKILL; an outer watchdog makes sure this always returns;
 * then the port is verified free.
 */
export async function stopServerTree(options: {root: string; record?: ServerRecord; cookie?: string; port?: number; grace: number; onStranger?: (holder: PortHolder) => void}): Promise<StopResult> {
	const started = Date.now();
	const roots = options.record ? [options.record.pid] : [];
	const strangers: PortHolder[] = [];
	if (options.port !== undefined) {
		for (const holder of portHolders(options.port)) {
			if (isOurs(options.root, holder.pid, options.record?.pid)) {
				roots.push(holder.pid);
			} else {
				strangers.push(holder);
				options.onStranger?.(holder);
			}
		}
	}

	const watchdogMs = options.grace + killWait + 3000;
	let watchdog: NodeJS.Timeout | undefined;
	const result = roots.length === 0 && !options.cookie
		? {targets: [], killed: [], survivors: [], ms: 0}
		: await Promise.race([
			killTree({roots: [...new Set(roots)], ...(options.cookie ? {cookie: options.cookie} : {}), grace: options.grace, killWait}),
			new Promise<KillTreeResult>(resolve => {
				watchdog = setTimeout(() => {
					resolve({targets: roots, killed: [], survivors: roots, ms: watchdogMs});
				}, watchdogMs);
			}),
		]).finally(() => {
			clearTimeout(watchdog);
		});

	let portFree = true;
	if (options.port !== undefined) {
		const deadline = Date.now() + 1000;
		while ((portFree = portHolders(options.port).length === 0) === false && Date.now() < deadline) {
			await sleep(25);
		}
	}

	return {...result, ms: Date.now() - started, ...(options.record ? {pid: options.record.pid} : {}), portFree, strangers};
}
