import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {cookieOwner, cookieVariable} from '../process/cookie.js';
import {descendantsOf, environmentValue, listProcesses} from '../process/table.js';

/** A process listening on a TCP port. */
export interface PortHolder {
	pid: number;
	command: string;
}

/**
 * Every process with a listening TCP socket on `port` (any address, IPv4 or IPv6).
 * Linux: /proc/net/tcp{,6} gives the socket inode, /proc/PID/fd links name the holder. Elsewhere
 * (or when /proc hides the owner) `lsof`, then `ss`, are asked. Empty when nothing listens.
 */
export function portHolders(port: number): PortHolder[] {
	if (process.platform === 'linux') {
		const inodes = listeningInodes(port);
		if (inodes.size === 0) {
			return [];
		}

		const found = holdersOfInodes(inodes);
		if (found.length > 0) {
			return found;
		}
	}

	return fromLsof(port) ?? fromSs(port) ?? [];
}

/** Why a process on the port is (or is not) ours: a `server` cookie of this project, or a descendant of our server. */
export function isOurs(root: string, pid: number, serverPid?: number): boolean {
	const cookie = environmentValue(pid, cookieVariable);
	if (cookie !== undefined && cookieOwner(root, cookie) === 'server') {
		return true;
	}

	if (serverPid === undefined) {
		return false;
	}

	return pid === serverPid || descendantsOf(listProcesses(), [serverPid]).has(pid);
}

const listenState = '0A';

function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = fs.readFileSync(table, 'latin1');
		} catch {
			continue;
		}

		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			if (fields.length > 9 && fields[3] === listenState && fields[1]!.endsWith(`:${hexPort}`)) {
				inodes.add(fields[9]!);
			}
		}
	}

	return inodes;
}

function holdersOfInodes(inodes: Set<string>): PortHolder[] {
	const wanted = new Set([...inodes].map(inode => `socket:[${inode}]`));
	const byPid = new Map(listProcesses().map(row => [row.pid, row.command]));
	const found: PortHolder[] = [];
	for (const [pid, command] of byPid) {
		let fds: string[];
		try {
			fds = fs.readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}

		for (const fd of fds) {
			try {
				if (wanted.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) {
					found.push({pid, command: fullCommand(pid) ?? command});
					break;
				}
			} catch {
				// The descriptor closed, or the process exited, while we looked: it holds nothing now.
			}
		}
	}

	return found;
}

function fullCommand(pid: number): string | undefined {
	try {
		const text = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
		return text || undefined;
	} catch {
		return undefined;
	}
}

function fromLsof(port: number): PortHolder[] | undefined {
	try {
		const text = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000});
		const found: PortHolder[] = [];
		for (const line of text.split('\n')) {
			if (line.startsWith('p')) {
				found.push({pid: Number(line.slice(1)), command: ''});
			} else if (line.startsWith('c') && found.length > 0) {
				found.at(-1)!.command = line.slice(1);
			}
		}

		return found;
	} catch (error) {
		// lsof exits 1 when nothing matches; a missing lsof is ENOENT.
		return (error as {status?: number}).status === 1 ? [] : undefined;
	}
}

function fromSs(port: number): PortHolder[] | undefined {
	try {
		const text = execFileSync('ss', ['-Htlnp', `sport = :${port}`], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000});
		const found: PortHolder[] = [];
		for (const match of text.matchAll(/\("([^"]*)",pid=(\d+)/g)) {
			found.push({pid: Number(match[2]), command: match[1]!});
		}

		return found;
	} catch {
		return undefined;
	}
}
