import fs from 'node:fs';
import path from 'node:path';
import {shiftRotated, tryRename} from '../logger.js';

/** Past this size the server log is rotated (`server.log` → `server.log.1` …). */
export const serverLogMaxBytes = 10 * 1024 * 1024;
const keep = 3;

/**
 * Open the server log for appending (the fd is handed to the detached server, which writes to it
 * directly, so its output survives the orchestrator). Rotates first when it is too big.
 */
export function openServerLog(file: string): number {
	fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	if (size(file) > serverLogMaxBytes) {
		shiftRotated(file, keep);
		tryRename(file, `${file}.1`);
	}

	return fs.openSync(file, 'a', 0o600);
}

/**
 * Rotation while the server runs: it holds the file open with O_APPEND, so a rename would keep it
 * writing into the old file. Copy then truncate instead (logrotate's copytruncate); the log
 * watcher sees the truncation and starts again from the top.
 */
export function rotateRunningLog(file: string): boolean {
	if (size(file) <= serverLogMaxBytes) {
		return false;
	}

	shiftRotated(file, keep);
	try {
		fs.copyFileSync(file, `${file}.1`);
		fs.truncateSync(file, 0);
		return true;
	} catch {
		return false;
	}
}

/** The last `count` lines of a file (read from its tail only). */
export function tailLines(file: string, count: number, maxBytes = 16 * 1024): string[] {
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const length = Math.min(size(file), maxBytes);
			const buffer = Buffer.alloc(length);
			fs.readSync(fd, buffer, 0, length, size(file) - length);
			return buffer.toString('utf8').split('\n').filter(line => line.trim() !== '').slice(-count);
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return [];
	}
}

function size(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}
