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
		},
	};
}
