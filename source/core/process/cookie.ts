import crypto from 'node:crypto';
import {eachYielding, environmentValue, listProcesses, listProcessesYielding, type ProcessInfo} from './table.js';

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
	const found: Array<ProcessInfo & {cookie: string}> = [];
	const look = carrierFinder(accept, found);
	for (const row of table) {
		look(row);
	}

	return found;
}

/**
 * `processesWithCookie` without blocking the event loop for more than a couple of ms at a time
 * (reading every process's environment takes tens of ms on a busy machine); the table too is
 * read that way when it is not given.
 */
export async function processesWithCookieYielding(accept: string | ((cookie: string) => boolean), table?: readonly ProcessInfo[]): Promise<Array<ProcessInfo & {cookie: string}>> {
	const found: Array<ProcessInfo & {cookie: string}> = [];
	await eachYielding(table ?? await listProcessesYielding(), carrierFinder(accept, found));
	return found;
}

/** A visitor that adds each row whose cookie `accept`s to `found` (never this process). */
function carrierFinder(accept: string | ((cookie: string) => boolean), found: Array<ProcessInfo & {cookie: string}>): (row: ProcessInfo) => void {
	const matches = typeof accept === 'string' ? (cookie: string) => cookie === accept : accept;
	return row => {
		if (row.pid === process.pid) {
			return;
		}

		const cookie = environmentValue(row.pid, cookieVariable);
		if (cookie !== undefined && matches(cookie)) {
			found.push({...row, cookie});
		}
	};
}
