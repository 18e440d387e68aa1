import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';

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
			await execa('tmux', ['-L', socket, 'kill-server'], {reject: false, stdin: 'ignore'});
			// A control client orphaned by a test's kill -9 can start the server again after kill-server:
			// end every tmux process of this (unique) socket.
			for (const pid of tmuxProcessesOf(socket)) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
			}

			fs.rmSync(path.join(os.tmpdir(), `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
		},
	};
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
