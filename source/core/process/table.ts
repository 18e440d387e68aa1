import {execFileSync} from 'node:child_process';
import fs from 'node:fs';

/** One row of the process table. `start` tells a pid apart from a later process that reused it. */
export interface ProcessInfo {
	pid: number;
	ppid: number;
	pgid: number;
	start: string;
	command: string;
}

const isLinux = process.platform === 'linux';

/** A snapshot of every process on the machine (Linux: /proc; elsewhere: ps). Zombies are left out: they are already dead. */
export function listProcesses(): ProcessInfo[] {
	return isLinux ? listFromProc() : listFromPs();
}

/** Every process below `roots` in the parent tree (roots not included). */
export function descendantsOf(table: readonly ProcessInfo[], roots: Iterable<number>): Set<number> {
	const children = new Map<number, number[]>();
	for (const row of table) {
		children.set(row.ppid, [...(children.get(row.ppid) ?? []), row.pid]);
	}

	const found = new Set<number>();
	const queue = [...roots];
	while (queue.length > 0) {
		for (const child of children.get(queue.pop()!) ?? []) {
			if (!found.has(child)) {
				found.add(child);
				queue.push(child);
			}
		}
	}

	return found;
}

/** The value of environment variable `name` in process `pid`, or undefined (gone, not ours to read, or unset). */
export function environmentValue(pid: number, name: string): string | undefined {
	if (isLinux) {
		let environ: string;
		try {
			environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
		} catch {
			return undefined;
		}

		const prefix = `${name}=`;
		for (const entry of environ.split('\0')) {
			if (entry.startsWith(prefix)) {
				return entry.slice(prefix.length);
			}
		}

		return undefined;
	}

	try {
		const text = execFileSync('ps', ['eww', '-o', 'command=', '-p', String(pid)], {encoding: 'utf8'});
		return new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(text)?.[1];
	} catch {
		return undefined;
	}
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
	if (isLinux) {
		try {
			return statFields(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'))?.state !== 'Z';
		} catch {
			return false;
		}
	}

	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The start time of a live `pid` (as in ProcessInfo.start), or undefined when it is gone or a zombie. */
export function startOf(pid: number): string | undefined {
	if (isLinux) {
		try {
			const fields = statFields(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
			return fields && fields.state !== 'Z' ? fields.start : undefined;
		} catch {
			return undefined;
		}
	}

	return listFromPs().find(row => row.pid === pid)?.start;
}

function listFromProc(): ProcessInfo[] {
	const rows: ProcessInfo[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const fields = statFields(fs.readFileSync(`/proc/${entry}/stat`, 'latin1'));
			if (fields && fields.state !== 'Z') {
				rows.push({pid: Number(entry), ppid: fields.ppid, pgid: fields.pgid, start: fields.start, command: fields.command});
			}
		} catch {
			// The process exited between readdir and read: it is not in the table.
		}
	}

	return rows;
}

/** Fields of /proc/PID/stat; the command is in parentheses and may itself hold spaces and parentheses. */
function statFields(stat: string): {state: string; ppid: number; pgid: number; start: string; command: string} | undefined {
	const close = stat.lastIndexOf(')');
	if (close < 0) {
		return undefined;
	}

	const rest = stat.slice(close + 2).split(' ');
	return {command: stat.slice(stat.indexOf('(') + 1, close), state: rest[0]!, ppid: Number(rest[1]), pgid: Number(rest[2]), start: rest[19]!};
}

function listFromPs(): ProcessInfo[] {
	const text = execFileSync('ps', ['-axo', 'pid=,ppid=,pgid=,stat=,lstart=,command='], {encoding: 'utf8'});
	const rows: ProcessInfo[] = [];
	for (const line of text.split('\n')) {
		const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w+\s+\w+\s+\d+\s+[\d:]+\s+\d+)\s+(.*)$/.exec(line);
		if (match && !match[4]!.startsWith('Z')) {
			rows.push({pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), start: match[5]!, command: match[6]!});
		}
	}

	return rows;
}
