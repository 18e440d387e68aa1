import fs from 'node:fs';
import path from 'node:path';

/*
 * The hook spool: `.cmux/hooks/spool`, one JSON line per hook call, appended by `cmux-tui hook`
 * (O_APPEND, one write per line, so concurrent hooks never interleave) and read by the orchestrator
 * by byte offset, stored in the same transaction as the state it caused: every hook is taken in
 * exactly once, whether the orchestrator was running when it fired or started later.
 * Rotation keeps it small: once the orchestrator has taken in all of it and it is over
 * `spoolRotateBytes`, it is renamed to `spool.1` (the one before is replaced); the follower reads
 * the old file to its end through its open descriptor, then the new one from its start. A hook
 * that finds the file renamed after its write writes the line again to the new file (same id).
 * This module is imported by the hook fast path: node built-ins only.
 */

/** The spool file of a project. */
export function spoolFile(root: string): string {
	return path.join(root, '.cmux', 'hooks', 'spool');
}

/** One spooled hook call. */
export interface SpoolLine {
	v: 1;
	agent: string;
	kind: string;
	/** When the hook ran (epoch ms). */
	ts: number;
	/** Unique per hook call: a line written twice around a rotation is taken in once (see appendSpool). */
	id?: string;
	payload: Record<string, unknown>;
}

/** Longest text kept of a final message: its end says whether it asked a question. */
const messageTail = 2000;
/** Fields a hook payload keeps in the spool (the rest, e.g. tool inputs, can be large and say nothing about activity). */
const keptFields = ['hook_event_name', 'type', 'session_id', 'thread-id', 'turn-id', 'turn_id', 'model', 'transcript_path', 'cwd', 'source', 'trigger', 'reason',
	'notification_type', 'message', 'tool_name', 'error', 'error_details', 'stop_hook_active', 'permission_mode', 'timestamp'];
const messageFields = ['last_assistant_message', 'prompt_response', 'last-assistant-message'];

/** The parts of a payload the orchestrator needs, with long messages cut to their end (and any done marker kept). */
export function slimPayload(payload: Record<string, unknown>): Record<string, unknown> {
	const slim: Record<string, unknown> = {};
	for (const key of keptFields) {
		const value = payload[key];
		if (value !== undefined && (typeof value !== 'string' || value.length <= messageTail)) {
			slim[key] = value;
		} else if (typeof value === 'string') {
			slim[key] = value.slice(0, messageTail);
		}
	}

	for (const key of messageFields) {
		const value = payload[key];
		if (typeof value === 'string') {
			const marker = value.length > messageTail ? /^CMUX-DONE .*$/m.exec(value)?.[0] : undefined;
			slim[key] = marker ? `${marker}\n…${value.slice(-messageTail)}` : value.slice(-messageTail);
		}
	}

	return slim;
}

/** Size past which a spool the orchestrator has read to its end is rotated. */
export const spoolRotateBytes = 1024 * 1024;

/** Append one line to the spool, creating its folder (0700) and file (0600) when missing. */
export function appendSpool(root: string, line: SpoolLine): void {
	const file = spoolFile(root);
	fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const text = `${JSON.stringify(line)}\n`;
	for (let attempt = 0; ; attempt++) {
		const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
		try {
			// Rotated between open and now: the old file may already be read to its end, so write
			// to the new one instead (a few tries; a rotation needs a whole spool in between).
			if (attempt < 3 && !stillAt(fd, file)) {
				continue;
			}

			fs.writeSync(fd, text);
			// Renamed while this line went in: the orchestrator may have finished that file already,
			// so the line goes to the new one too, and the intake drops the second copy by its id.
			if (attempt < 3 && line.id !== undefined && !stillAt(fd, file)) {
				continue;
			}

			return;
		} finally {
			fs.closeSync(fd);
		}
	}
}

function stillAt(fd: number, file: string): boolean {
	const open = fs.fstatSync(fd);
	try {
		const now = fs.statSync(file);
		return now.ino === open.ino && now.dev === open.dev;
	} catch {
		// Renamed away and no new file yet: the next open creates it.
		return false;
	}
}

/**
 * Rotate the spool when everything in it was taken in (`read` is the stored position, in the file
 * the path names now) and it has grown past `limit`: rename it to `spool.1`. Returns whether it did.
 */
export function rotateSpool(root: string, read: {dev: number; ino: number; offset: number}, limit = spoolRotateBytes): boolean {
	const file = spoolFile(root);
	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
	} catch {
		// No spool: nothing to rotate.
		return false;
	}

	if (stat.ino !== read.ino || stat.dev !== read.dev || read.offset !== stat.size || stat.size < limit) {
		return false;
	}

	fs.renameSync(file, `${file}.1`);
	return true;
}
