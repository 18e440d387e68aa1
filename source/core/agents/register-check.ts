import {StateError, TmuxError, UsageError} from '../errors.js';
import type {TmuxClient} from '../tmux/client.js';

/** An agent name, as the config and the mailbox accept it: it is also a tmux window name and an address. */
export const agentNamePattern = /^[\w.-]{1,128}$/;

/** The pane a registration will record, found by exact match (never a tmux fallback). */
export interface RegisteredPane {
	target: string;
	windowId: string;
	paneId: string;
	pid: number;
}

const format = ['#{session_name}', '#{window_id}', '#{window_index}', '#{window_name}', '#{pane_index}', '#{pane_id}', '#{pane_pid}'].join('\t');

/** Refuse (exit 2) a name the registry or the mailbox could not use. */
export function checkAgentName(name: string): void {
	if (!agentNamePattern.test(name)) {
		throw new UsageError(`agent name ${JSON.stringify(name)}: expected letters, digits, ".", "_" or "-" (at most 128)`);
	}
}

/**
 * The pane `window` (`session:window` by index or exact name, optionally `.pane`, or a window id
 * `@N`) names, looked up in the full pane list and matched exactly: tmux itself would fall back to
 * the current window or a prefix match, and a registration must record only the pane asked for.
 * Throws StateError (exit 1) when there is no such window.
 */
export async function findRegisteredPane(tmux: TmuxClient, window: string): Promise<RegisteredPane> {
	const lines = await tmux.run(['list-panes', '-a', '-F', format]).catch((error: unknown) => {
		// No such pane anywhere is "no window" below; any other failure (tmux unreachable) is reported as it is.
		if (error instanceof TmuxError && error.reason === 'not-found') {
			return [] as string[];
		}

		throw error;
	});
	const panes = lines.map(line => line.split('\t')).map(([session = '', windowId = '', index = '', name = '', paneIndex = '', paneId = '', pid = '']) =>
		({session, windowId, index, name, paneIndex, paneId, pid: Number(pid)}));
	const [, session, windowPart, panePart] = /^([^:]*):([^.]*)(?:\.(\d+))?$/.exec(window) ?? /^()(@\d+)()$/.exec(window) ?? [];
	const matches = panes.filter(pane => (windowPart?.startsWith('@') ? pane.windowId === windowPart : pane.session === session && (pane.index === windowPart || pane.name === windowPart))
		&& (panePart ? pane.paneIndex === panePart : true));
	const windows = new Set(matches.map(pane => pane.windowId));
	if (matches.length === 0 || windows.size > 1) {
		throw new StateError(`window ${window} does not exist${windows.size > 1 ? ' as one window (several windows have that name)' : ''}; nothing was registered`);
	}

	const pane = matches[0]!;
	return {target: window, windowId: pane.windowId, paneId: pane.paneId, pid: pane.pid};
}
