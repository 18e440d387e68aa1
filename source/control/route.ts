import fs from 'node:fs';
import net from 'node:net';
import {sleep} from '../core/clock.js';
import type {Paths} from '../core/config/paths.js';
import {StateError} from '../core/errors.js';
import {runningOrchestrator} from '../core/pid-lock.js';
import {sendRequest, SocketUnavailableError} from './client.js';
import {connectPath} from './socket-path.js';

/** How long a CLI waits for a running orchestrator that is still opening its socket. */
const answerWithinMs = 5000;

/**
 * Run a command where it belongs: over the control socket when an orchestrator runs for the
 * project (its pid file names a live process with the recorded start time), else `direct()`.
 * A socket file without a live orchestrator is stale: it is removed, never trusted.
 */
export async function routeCommand(paths: Paths, command: string, params: unknown, direct: () => Promise<unknown>): Promise<unknown> {
	const deadline = Date.now() + answerWithinMs;
	for (;;) {
		const pid = runningOrchestrator(paths.pidFile);
		if (pid === undefined) {
			await removeStaleSocket(paths);
			return direct();
		}

		try {
			return await sendRequest(paths.socketFile, command, params);
		} catch (error) {
			// Not connected means not sent: asking again (or acting directly once it is gone) is safe.
			if (!(error instanceof SocketUnavailableError)) {
				throw error;
			}

			if (Date.now() > deadline) {
				throw new StateError(`the orchestrator (pid ${pid}) does not answer on ${paths.socketFile} (${error.code}); is it an older cmux-tui? Stop it with \`cmux-tui stop\``, {cause: error});
			}
		}

		await sleep(100);
	}
}

/** Remove the socket file when nobody listens on it and still no orchestrator runs (a new one replaces it itself). */
async function removeStaleSocket(paths: Paths): Promise<void> {
	if (!present(paths.socketFile) || await listening(paths.socketFile)) {
		return;
	}

	if (runningOrchestrator(paths.pidFile) === undefined) {
		fs.rmSync(paths.socketFile, {force: true});
	}
}

async function listening(file: string): Promise<boolean> {
	let target: string;
	try {
		target = connectPath(file);
	} catch {
		// A symlink whose target is gone: nobody listens.
		return false;
	}

	return new Promise(resolve => {
		const socket = net.createConnection(target, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => {
			resolve(false);
		});
	});
}

/** The socket file or its symlink exists (a dangling symlink counts). */
function present(file: string): boolean {
	try {
		fs.lstatSync(file);
		return true;
	} catch {
		return false;
	}
}
