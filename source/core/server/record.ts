import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import type {Paths} from '../config/paths.js';
import {readJsonFile, type ParseResult} from '../input.js';
import {startOf} from '../process/table.js';

/**
 * What survives an orchestrator restart about the running server: its leader pid with the pid's
 * start time (so a recycled pid is never adopted), its cookie (so its whole tree can be found) and
 * its port. Kept in `.cmux/server.json` (0600).
 */
export const serverRecordSchema = z.object({
	pid: z.number().int().positive(),
	start: z.string(),
	cookie: z.string().min(1),
	port: z.number().int().min(0).max(65_535).optional(),
	startedAt: z.string(),
	logFile: z.string(),
});

export type ServerRecord = z.infer<typeof serverRecordSchema>;

export function recordFile(paths: Paths): string {
	return path.join(paths.stateDir, 'server.json');
}

/**
 * The record, or undefined when there is none or it cannot be used (`onInvalid` hears why: a
 * record that does not parse names no process we may act on, so it is treated as absent).
 */
export function readRecord(paths: Paths, onInvalid?: (error: Error) => void): ServerRecord | undefined {
	const read: ParseResult<ServerRecord> | undefined = readJsonFile(serverRecordSchema, recordFile(paths));
	if (read && !read.ok) {
		onInvalid?.(read.error);
	}

	return read?.ok ? read.value : undefined;
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
