import {killTree, type KillTreeResult} from '../process/kill-tree.js';
import {environmentValue, isAlive} from '../process/table.js';
import {cookieVariable} from '../process/cookie.js';
import type {TmuxClient} from '../tmux/client.js';
import {alreadyGone} from '../tmux/gone.js';

export interface StopRequest {
	/** The agent's window (id or target); killed after its processes. */
	window?: string;
	/** The pane's process, when the window still shows it. */
	pid?: number;
	cookie?: string;
	grace: number;
	force?: boolean;
}

/**
 * Stop an agent completely: its pane's process tree and every process carrying its cookie get
 * SIGTERM, `grace` ms, SIGKILL, verification (killTree); then its window is closed. The pid is
 * used only while it still carries the agent's cookie (or no cookie is known), so a recycled pid
 * is never hit. A watchdog makes sure this returns even if something hangs.
 */
export async function stopAgentProcesses(tmux: TmuxClient, request: StopRequest): Promise<KillTreeResult> {
	const roots = request.pid !== undefined && isAlive(request.pid) && (request.cookie === undefined || environmentValue(request.pid, cookieVariable) === request.cookie)
		? [request.pid]
		: [];
	const started = Date.now();
	const killWait = 2000;
	const watchdogMs = (request.force ? 0 : request.grace) + killWait + 3000;
	let timer: NodeJS.Timeout | undefined;
	const watchdog = new Promise<KillTreeResult>(resolve => {
		timer = setTimeout(() => {
			resolve({targets: roots, killed: [], survivors: roots.filter(pid => isAlive(pid)), ms: Date.now() - started});
		}, watchdogMs);
	});
	const result = roots.length === 0 && request.cookie === undefined
		? {targets: [], killed: [], survivors: [], ms: 0}
		: await Promise.race([killTree({roots, ...(request.cookie ? {cookie: request.cookie} : {}), grace: request.grace, force: request.force, killWait}), watchdog]);
	clearTimeout(timer);
	if (request.window) {
		await tmux.run(['kill-window', '-t', request.window]).catch(alreadyGone);
	}

	return result;
}
