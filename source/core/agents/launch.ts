import path from 'node:path';
import {cookieVariable, makeCookie} from '../process/cookie.js';
import type {TmuxClient} from '../tmux/client.js';

export interface LaunchRequest {
	root: string;
	session: string;
	name: string;
	command: string;
	cwd?: string;
	env?: Record<string, string>;
}

export interface Launched {
	windowId: string;
	paneId: string;
	pid: number;
	cookie: string;
	target: string;
	startedAt: string;
}

/**
 * Start an agent in a new window of `session` named after it, with its cwd and env plus
 * CMUX_AGENT_NAME, CMUX_SESSION, CMUX_PROJECT_ROOT and a fresh CMUX_COOKIE that every process of
 * the agent inherits. `remain-on-exit` is set in the same command sequence (no event can run in
 * between), so an agent that exits at once still leaves its exit status for us to read.
 */
export async function launchAgent(tmux: TmuxClient, request: LaunchRequest): Promise<Launched> {
	const cookie = makeCookie(request.root, request.name);
	const env: Record<string, string> = {
		...request.env,
		CMUX_AGENT_NAME: request.name,
		CMUX_SESSION: request.session,
		CMUX_PROJECT_ROOT: request.root,
		[cookieVariable]: cookie,
	};
	const cwd = path.resolve(request.root, request.cwd ?? '.');
	const target = `${request.session}:${request.name}`;
	const lines = await tmux.run([
		'new-window', '-d', '-t', `=${request.session}:`, '-n', request.name, '-c', cwd,
		...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
		'-P', '-F', '#{window_id}\t#{pane_id}\t#{pane_pid}', request.command,
		';', 'set-option', '-w', '-t', `=${request.session}:=${request.name}`, 'remain-on-exit', 'on',
	]);
	const [windowId = '', paneId = '', pid = ''] = (lines[0] ?? '').split('\t');
	return {windowId, paneId, pid: Number(pid), cookie, target, startedAt: new Date().toISOString()};
}
