import fs from 'node:fs';
import path from 'node:path';
import {cookieVariable, makeCookie} from '../process/cookie.js';
import {hookWiring} from '../supervision/wiring.js';
import type {TmuxClient} from '../tmux/client.js';

export interface LaunchRequest {
	root: string;
	session: string;
	name: string;
	command: string;
	cwd?: string;
	env?: Record<string, string>;
	/** CMUX's agent environment (compat/agent-env.ts); the agent's own `env` may override it. */
	cmuxEnv?: Record<string, string>;
	/** How the agent's own hooks are wired (`agents[].kind`); default generic. */
	kind?: string;
	/** A session id the agent should resume (Claude Code `--resume`). */
	resume?: string;
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
 * The agent's command runs under a small sh that records its exit status: tmux 3.3 sometimes marks
 * a pane dead without ever filling in #{pane_dead_status}, and the restart policy needs the code.
 * The command comes in through the environment, so nothing in it is re-quoted. The status is
 * appended to the empty file the launch created: one write, one event for the exit watch, with the
 * status in it (`>` would create or truncate the file first, an event of its own, and the watch
 * could wake, read nothing, and sleep again while the shell writes).
 */
export const recordExitStatus = 'eval "$CMUX_AGENT_COMMAND"; status=$?; printf \'%s\\n\' "$status" >> "$CMUX_EXIT_FILE"; exit "$status"';

/** Where an agent's last exit status is recorded (`.cmux/run/NAME.exit`). */
export function exitStatusFile(root: string, name: string): string {
	return path.join(root, '.cmux', 'run', `${name}.exit`);
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
		...request.cmuxEnv,
		...request.env,
		CMUX_AGENT_NAME: request.name,
		CMUX_SESSION: request.session,
		CMUX_PROJECT_ROOT: request.root,
		[cookieVariable]: cookie,
	};
	const wiring = hookWiring(request.root, request.kind ?? 'generic', {...(request.resume ? {resume: request.resume} : {}), statusLine: Boolean(env.CMUX_CONTEXT_FILE)});
	Object.assign(env, wiring.env);
	const exitFile = exitStatusFile(request.root, request.name);
	fs.mkdirSync(path.dirname(exitFile), {recursive: true, mode: 0o700});
	// Empty until this run's wrapper appends its status: a status of an earlier run is never read.
	fs.writeFileSync(exitFile, '', {mode: 0o600});
	env.CMUX_AGENT_COMMAND = request.command + wiring.suffix;
	env.CMUX_EXIT_FILE = exitFile;
	const cwd = path.resolve(request.root, request.cwd ?? '.');
	const target = `${request.session}:${request.name}`;
	const lines = await tmux.run([
		'new-window', '-d', '-t', `=${request.session}:`, '-n', request.name, '-c', cwd,
		...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
		'-P', '-F', '#{window_id}\t#{pane_id}\t#{pane_pid}', 'sh', '-c', recordExitStatus,
		';', 'set-option', '-w', '-t', `=${request.session}:=${request.name}`, 'remain-on-exit', 'on',
	]);
	const [windowId = '', paneId = '', pid = ''] = (lines[0] ?? '').split('\t');
	return {windowId, paneId, pid: Number(pid), cookie, target, startedAt: new Date().toISOString()};
}
