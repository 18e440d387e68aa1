import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {procEnvironmentValue, readProcFile} from './proc-files.js';

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
	if (!isLinux) {
		return listFromPs();
	}

	const rows: ProcessInfo[] = [];
	for (const pid of procPids()) {
		addRow(rows, pid);
	}

	return rows;
}

/** How long a scan runs before it yields to the event loop (ms): a notification waits at most about this long. */
const sliceMs = 2;

/**
 * Call `visit` on each item, yielding to the event loop (I/O callbacks run) every `sliceMs`: a
 * scan of every process on a busy machine takes tens of ms, which must not hold up the handling of
 * an agent's exit or a tmux notification.
 */
export async function eachYielding<T>(items: Iterable<T>, visit: (item: T) => void): Promise<void> {
	let since = performance.now();
	for (const item of items) {
		visit(item);
		if (performance.now() - since >= sliceMs) {
			await new Promise(resolve => setImmediate(resolve));
			since = performance.now();
		}
	}
}

/** `listProcesses` without blocking the event loop for more than a couple of ms at a time. */
export async function listProcessesYielding(): Promise<ProcessInfo[]> {
	if (!isLinux) {
		return listFromPs();
	}

	const rows: ProcessInfo[] = [];
	await eachYielding(procPids(), pid => {
		addRow(rows, pid);
	});
	return rows;
}

/** Every process below `roots` in the parent tree (roots not included). */
export function descendantsOf(table: readonly ProcessInfo[], roots: Iterable<number>): Set<number> {
	const children = new Map<number, number[]>();
	for (const row of table) {
		const siblings = children.get(row.ppid);
		if (siblings) {
			siblings.push(row.pid);
		} else {
			children.set(row.ppid, [row.pid]);
		}
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
		return procEnvironmentValue(pid, name);
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
		const fields = statOf(pid);
		return fields !== undefined && fields.state !== 'Z';
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
		const fields = statOf(pid);
		return fields && fields.state !== 'Z' ? fields.start : undefined;
	}

	return listFromPs().find(row => row.pid === pid)?.start;
}

/** The pids in /proc. */
function procPids(): number[] {
	return fs.readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number);
}

/** Add the row of `pid` unless it is gone or a zombie (it exited between readdir and read, or is already dead). */
function addRow(rows: ProcessInfo[], pid: number): void {
	const fields = statOf(pid);
	if (fields && fields.state !== 'Z') {
		rows.push({pid, ppid: fields.ppid, pgid: fields.pgid, start: fields.start, command: fields.command});
	}
}

/** The fields of /proc/PID/stat, or undefined when the process is gone. */
function statOf(pid: number): ReturnType<typeof statFields> {
	const stat = readProcFile(pid, 'stat');
	return stat === undefined ? undefined : statFields(stat);
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
