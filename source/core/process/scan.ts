import fs from 'node:fs/promises';
import {cookieVariable, processesWithCookie} from './cookie.js';
import {isAlive} from './table.js';

/** Files of /proc read at once: enough to keep the thread pool busy, few enough to leave it to others. */
const concurrency = 16;

/**
 * The pids of live processes whose `CMUX_COOKIE` satisfies `accept`, read without blocking the
 * event loop (Linux: every /proc/PID/environ through the thread pool; a tmux notification arriving
 * meanwhile is handled at once). Elsewhere the synchronous `ps` path.
 */
export async function cookiePids(accept: (cookie: string) => boolean): Promise<Array<{pid: number; cookie: string}>> {
	if (process.platform !== 'linux') {
		return processesWithCookie(accept).map(row => ({pid: row.pid, cookie: row.cookie}));
	}

	const pids = (await fs.readdir('/proc')).filter(entry => /^\d+$/.test(entry)).map(Number).filter(pid => pid !== process.pid);
	const found: Array<{pid: number; cookie: string}> = [];
	const prefix = `${cookieVariable}=`;
	const look = async (pid: number) => {
		let environ: string;
		try {
			environ = await fs.readFile(`/proc/${pid}/environ`, 'latin1');
		} catch {
			// Gone, or not ours to read: it carries no cookie we could act on.
			return;
		}

		for (const entry of environ.split('\0')) {
			if (entry.startsWith(prefix)) {
				const cookie = entry.slice(prefix.length);
				// A zombie is already dead (its environ is empty anyway; the check keeps the sync path's rule).
				if (accept(cookie) && isAlive(pid)) {
					found.push({pid, cookie});
				}

				return;
			}
		}
	};

	for (let index = 0; index < pids.length; index += concurrency) {
		await Promise.all(pids.slice(index, index + concurrency).map(look));
	}

	return found.sort((a, b) => a.pid - b.pid);
}
