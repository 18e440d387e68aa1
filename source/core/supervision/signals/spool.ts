import fs from 'node:fs';
import path from 'node:path';

/*
 * The hook spool: `.cmux/hooks/spool`, one JSON line per hook call, appended by `cmux-tui hook`
 * (O_APPEND, one write per line, so concurrent hooks never interleave) and read by the orchestrator
 * by byte offset, stored in the same transaction as the state it caused: every hook is taken in
 * exactly once, whether the orchestrator was running when it fired or started later.
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
	payload: Record<string, unknown>;
}

/** Longest text kept of a final message: its end says whether it asked a question. */
const messageTail = 2000;
/** Fields a hook payload keeps in the spool (the rest, e.g. tool inputs, can be large and say nothing about activity). */
const keptFields = ['hook_event_name', 'type', 'session_id', 'thread-id', 'turn-id', 'transcript_path', 'cwd', 'source', 'trigger', 'reason',
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

/** Append one line to the spool, creating its folder (0700) and file (0600) when missing. */
export function appendSpool(root: string, line: SpoolLine): void {
	const file = spoolFile(root);
	fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
	try {
		fs.writeSync(fd, `${JSON.stringify(line)}\n`);
	} finally {
		fs.closeSync(fd);
	}
}
