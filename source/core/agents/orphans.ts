import {cookieOwner, processesWithCookie, projectCookiePrefix} from '../process/cookie.js';
import {killTree} from '../process/kill-tree.js';

/** Cookie owners that are not agents: other services sweep their own. */
const otherOwners = new Set(['server', 'frontend']);

/**
 * Kill processes left by an earlier run that crashed: they carry this project's cookie, belong to
 * an agent, and their cookie is not one of `live` (the cookies of agents whose windows are still
 * there and are being adopted). Returns the cookies swept and the pids stopped.
 */
export async function sweepOrphans(root: string, live: ReadonlySet<string>, grace = 1000): Promise<Array<{owner: string; cookie: string; pids: number[]; survivors: number[]}>> {
	const prefix = projectCookiePrefix(root);
	const orphans = processesWithCookie(cookie => cookie.startsWith(prefix) && !live.has(cookie));
	const byCookie = new Map<string, number[]>();
	for (const row of orphans) {
		const owner = cookieOwner(root, row.cookie);
		if (owner && !otherOwners.has(owner)) {
			byCookie.set(row.cookie, [...(byCookie.get(row.cookie) ?? []), row.pid]);
		}
	}

	const swept = [];
	for (const [cookie, pids] of byCookie) {
		const result = await killTree({roots: [], cookie, grace});
		swept.push({owner: cookieOwner(root, cookie)!, cookie, pids, survivors: result.survivors});
	}

	return swept;
}
