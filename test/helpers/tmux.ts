import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {waitFor} from './wait.js';

let counter = 0;

/**
 * A private tmux server for one test (`tmux -L <unique socket>`), so tests never touch a user's
 * server. `kill()` ends the server and everything in it.
 */
export function privateTmux(label = 't'): {socket: string; run: (args: string[]) => Promise<string>; kill: () => Promise<void>} {
	const socket = `cmux-test-${process.pid}-${label}-${++counter}`;
	return {
		socket,
		async run(args) {
			return (await execa('tmux', ['-L', socket, ...args], {stdin: 'ignore'})).stdout;
		},
		async kill() {
			await killTmuxServer(socket);
		},
	};
}

/**
 * End the private tmux server on `socket` and remove its socket file, which tmux leaves behind.
 * A control client orphaned by a test's kill -9 can start the server again after kill-server:
 * every tmux process of this (unique) socket is ended too.
 */
export async function killTmuxServer(socket: string): Promise<void> {
	await execa('tmux', ['-L', socket, 'kill-server'], {reject: false, stdin: 'ignore'});
	for (const pid of tmuxProcessesOf(socket)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// It ended on its own in the meantime.
		}
	}

	// tmux puts its sockets in $TMUX_TMPDIR or /tmp, whatever TMPDIR says.
	fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
}

/** How many control clients are attached to `session`. */
export async function controlClients(tmux: {run: (args: string[]) => Promise<string>}, session: string): Promise<number> {
	return (await tmux.run(['list-clients', '-t', `=${session}`, '-F', '#{client_control_mode}'])).split('\n').filter(mode => mode === '1').length;
}

/**
 * Wait until `count` control clients are attached to `session`. tmux 3.3a crashes when a session
 * is created while a control client is still introducing itself, so a test that creates a session
 * beside a running orchestrator waits for both of its connections first.
 */
export async function controlClientsAttached(tmux: {run: (args: string[]) => Promise<string>}, session: string, count: number): Promise<void> {
	await waitFor(async () => await controlClients(tmux, session) >= count, {what: `${count} control clients attached to ${session}`});
}

function tmuxProcessesOf(socket: string): number[] {
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (argv[0]?.endsWith('tmux') && argv.includes(socket)) {
				pids.push(Number(entry));
			}
		} catch {}
	}

	return pids;
}
