import crypto from 'node:crypto';
import {environmentValue, listProcesses, type ProcessInfo} from './table.js';

/**
 * Every process cmux-tui starts carries `CMUX_COOKIE=cmux:<project>:<owner>:<run>` in its
 * environment, inherited by all its descendants, even those that leave the process group with
 * setsid. It is how a kill finds a re-parented daemon and how we prove a process is ours.
 */
export const cookieVariable = 'CMUX_COOKIE';

/** The part of every cookie that names the project (a hash of its root folder). */
export function projectCookiePrefix(root: string): string {
	return `cmux:${crypto.createHash('sha256').update(root).digest('hex').slice(0, 12)}:`;
}

/** A fresh cookie for `owner` (an agent name, or `server`/`frontend`) in project `root`. */
export function makeCookie(root: string, owner: string, run = crypto.randomBytes(4).toString('hex')): string {
	return `${projectCookiePrefix(root)}${owner}:${run}`;
}

/** The owner named in a cookie of this project, or undefined for a cookie of another project. */
export function cookieOwner(root: string, cookie: string): string | undefined {
	const prefix = projectCookiePrefix(root);
	if (!cookie.startsWith(prefix)) {
		return undefined;
	}

	const rest = cookie.slice(prefix.length);
	return rest.slice(0, rest.lastIndexOf(':'));
}

/** Processes whose cookie satisfies `accept` (exact value, or a predicate such as a project prefix). */
export function processesWithCookie(accept: string | ((cookie: string) => boolean), table: readonly ProcessInfo[] = listProcesses()): Array<ProcessInfo & {cookie: string}> {
	const matches = typeof accept === 'string' ? (cookie: string) => cookie === accept : accept;
	const found: Array<ProcessInfo & {cookie: string}> = [];
	for (const row of table) {
		if (row.pid === process.pid) {
			continue;
		}

		const cookie = environmentValue(row.pid, cookieVariable);
		if (cookie !== undefined && matches(cookie)) {
			found.push({...row, cookie});
		}
	}

	return found;
}
