import fs from 'node:fs';
import path from 'node:path';
import type {Paths} from '../config/paths.js';
import {startOf} from '../process/table.js';

/**
 * What survives an orchestrator restart about the running server: its leader pid with the pid's
 * start time (so a recycled pid is never adopted), its cookie (so its whole tree can be found) and
 * its port. Kept in `.cmux/server.json` (0600).
 */
export interface ServerRecord {
	pid: number;
	start: string;
	cookie: string;
	port?: number;
	startedAt: string;
	logFile: string;
}

export function recordFile(paths: Paths): string {
	return path.join(paths.stateDir, 'server.json');
}

export function readRecord(paths: Paths): ServerRecord | undefined {
	try {
		const value = JSON.parse(fs.readFileSync(recordFile(paths), 'utf8')) as Partial<ServerRecord>;
		return typeof value.pid === 'number' && typeof value.start === 'string' && typeof value.cookie === 'string'
			? value as ServerRecord : undefined;
	} catch {
		return undefined;
	}
}

export function writeRecord(paths: Paths, record: ServerRecord): void {
	const file = recordFile(paths);
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600});
	fs.renameSync(temporary, file);
}

export function removeRecord(paths: Paths): void {
	fs.rmSync(recordFile(paths), {force: true});
}

/**
 * The start time of `pid` as the process table reports it, or undefined when it is gone. Read for
 * that one pid (not a scan of every process: the server's probe asks this every few seconds).
 */
export function processStart(pid: number): string | undefined {
	return startOf(pid);
}

/** True when the recorded leader is still the same live process. */
export function recordIsLive(record: ServerRecord): boolean {
	return processStart(record.pid) === record.start;
}
