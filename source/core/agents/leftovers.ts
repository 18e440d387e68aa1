import {sleep} from '../clock.js';
import type {ServiceContext} from '../orchestrator.js';
import {cookieVariable, processesWithCookieYielding} from '../process/cookie.js';
import {environmentValue, isAlive} from '../process/table.js';
import type {AgentRecord} from './record.js';
import {stopAgentProcesses} from './stop.js';

/** How long a process of an agent whose window closed may take to die before it counts as a zombie (ms). */
const zombieSettleMs = 250;

/**
 * Kill what is left of an agent: processes carrying its cookie (and its pane pid if it still
 * carries the cookie), then its window. With `zombie` set, processes still alive a moment later
 * (a pane's process takes a few ms to die of the SIGHUP a closed window sends) are reported as a
 * zombie. `carriers` is the cookie scan when the caller already made it (one scan for many agents).
 */
export async function killLeftovers(context: ServiceContext, record: AgentRecord, zombie?: 'process-alive', windowId?: string, carriers?: number[]): Promise<void> {
	const pidIsOurs = record.pid !== undefined && isAlive(record.pid) && record.cookie !== undefined && environmentValue(record.pid, cookieVariable) === record.cookie;
	if (zombie) {
		carriers ??= record.cookie ? (await processesWithCookieYielding(record.cookie)).map(row => row.pid) : [];
		const found = [...new Set([...(pidIsOurs ? [record.pid!] : []), ...carriers])];
		for (let waited = 0; waited < zombieSettleMs && found.some(pid => isAlive(pid)); waited += 25) {
			await sleep(25);
		}

		const alive = found.filter(pid => isAlive(pid));
		if (alive.length > 0) {
			context.emit({type: 'agent.zombie', agent: record.name, form: zombie, pids: alive});
		}

		// Even when all found died meanwhile, they may have forked: the cookie scan of killTree finds those.
		if (found.length === 0 && !windowId) {
			return;
		}
	} else if (!pidIsOurs && record.cookie === undefined && !windowId) {
		// Nothing of it can be told apart from a stranger's process, and no window to close.
		return;
	}

	// Without the zombie check, the scan of killTree is the only one: it finds the cookie's carriers.
	const result = await stopAgentProcesses(context.tmux, {
		...(windowId ? {window: windowId} : {}), ...(pidIsOurs ? {pid: record.pid} : {}), ...(record.cookie ? {cookie: record.cookie} : {}),
		grace: record.config?.stopTimeout ?? 5000,
	});
	if (zombie && result.targets.length > 0) {
		context.emit({type: 'agent.killed', agent: record.name, zombie: true, targets: result.targets.length, survivors: result.survivors.length});
	}
}
