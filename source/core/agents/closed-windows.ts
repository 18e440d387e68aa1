import type {ServiceContext} from '../orchestrator.js';
import {processesWithCookieYielding} from '../process/cookie.js';
import type {RegistryEntry} from '../registry/entry.js';
import {isPermanent} from '../registry/cmux-entry.js';
import {updateRegistry} from '../registry/registry.js';
import type {AgentRecord} from './record.js';

/** A window reported closed under a live agent, between announceClosed and finishClosed. */
export interface ClosedWindow {
	record: AgentRecord;
	entry?: RegistryEntry;
	/** `agents kill` in another process was stopping it (its registry entry says so). */
	killed: boolean;
	/** Archived through CMUX's API just before: closed on purpose, its entry goes without an alert. */
	archived?: boolean;
}

/**
 * One registry write removes the entries of closed windows that nobody was stopping, emitting
 * `agent.stale_removed` for each entry it removed. Permanent entries (CMUX's `permanent: true`)
 * stay; an entry archived through CMUX's API just before goes as `agent.unregistered` (no alert).
 */
export async function removeStaleEntries(context: ServiceContext, closed: ClosedWindow[]): Promise<void> {
	const stale = closed.filter(item => item.entry && !item.killed);
	if (stale.length > 0) {
		const {result: removed} = await updateRegistry(context.paths.registryFile, registry => stale.filter(({record}) => {
			const current = registry[record.name];
			if (current === undefined || typeof current.stopping === 'string' || isPermanent(current)) {
				return false;
			}

			delete registry[record.name];
			return true;
		}));
		for (const {record, entry, archived} of removed) {
			context.emit(archived
				? {type: 'agent.unregistered', agent: record.name, reason: 'archived'}
				: {type: 'agent.stale_removed', agent: record.name, window: entry!.window ?? record.target});
		}
	}
}

/**
 * One process scan for the cookies of all closed windows: the pids still carrying each cookie. The
 * scan reads /proc through the thread pool, so notifications of other windows are not held up.
 */
export async function cookieCarriers(closed: ClosedWindow[]): Promise<Map<string, number[]>> {
	const cookies = new Set(closed.map(({record}) => record.cookie).filter((cookie): cookie is string => cookie !== undefined));
	const carriers = new Map<string, number[]>();
	if (cookies.size > 0) {
		for (const {pid, cookie} of await processesWithCookieYielding(cookie => cookies.has(cookie))) {
			carriers.set(cookie, [...carriers.get(cookie) ?? [], pid]);
		}
	}

	return carriers;
}
