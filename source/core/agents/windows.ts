import {TmuxError} from '../errors.js';
import type {TmuxClient} from '../tmux/client.js';

/** One pane of the tmux server, as reconciliation sees it (agent windows have a single pane). */
export interface PaneInfo {
	session: string;
	windowId: string;
	windowName: string;
	/** `session:window-name`, the target the registry and the agents table use. */
	target: string;
	paneId: string;
	pid: number;
	dead: boolean;
	/** Exit status of a dead pane, when tmux knows it. */
	deadStatus?: number;
}

const format = ['#{session_name}', '#{window_id}', '#{window_name}', '#{pane_id}', '#{pane_pid}', '#{pane_dead}', '#{pane_dead_status}'].join('\t');

/**
 * Every pane of the server (first pane per window); an empty list when the server has no session.
 * A server that cannot be reached is a TmuxError with reason `unreachable`, never "no panes": the
 * caller decides whether that means "nothing runs yet" (spawn) or is worth reporting (list, check).
 */
export async function listPanes(tmux: TmuxClient): Promise<PaneInfo[]> {
	let lines: string[];
	try {
		lines = await tmux.run(['list-panes', '-a', '-F', format]);
	} catch (error) {
		if (error instanceof TmuxError && error.reason === 'not-found') {
			return [];
		}

		throw error;
	}

	const seen = new Set<string>();
	const panes: PaneInfo[] = [];
	for (const line of lines) {
		const [session = '', windowId = '', windowName = '', paneId = '', pid = '', dead = '', status = ''] = line.split('\t');
		if (!windowId || seen.has(windowId)) {
			continue;
		}

		seen.add(windowId);
		panes.push({
			session, windowId, windowName, target: `${session}:${windowName}`, paneId, pid: Number(pid), dead: dead === '1',
			...(status === '' ? {} : {deadStatus: Number(status)}),
		});
	}

	return panes;
}

/** Panes of a server that may simply not be running yet: no server means no panes. */
export async function listPanesIfServer(tmux: TmuxClient): Promise<PaneInfo[]> {
	try {
		return await listPanes(tmux);
	} catch (error) {
		if (error instanceof TmuxError && error.reason === 'unreachable') {
			return [];
		}

		throw error;
	}
}

/** Create the session when it does not exist (its first window is a plain shell named `home`). */
export async function ensureSession(tmux: TmuxClient, session: string, cwd: string): Promise<void> {
	try {
		await tmux.run(['has-session', '-t', `=${session}`]);
	} catch (error) {
		// Not there (or no server yet: new-session starts one); anything else new-session reports itself.
		if (!(error instanceof TmuxError)) {
			throw error;
		}

		await tmux.run(['new-session', '-d', '-s', session, '-n', 'home', '-c', cwd]);
	}
}
