import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import process from 'node:process';
import {findProjectRoot} from './core/config/paths.js';

/*
 * `cmux-tui beat NAME` (no options): a fast path for the heartbeat an agent sends every few seconds.
 * It loads node built-ins and one small module (no yargs, Ink or SQLite) and hands the beat to the
 * running orchestrator over its control socket (the same request the full CLI sends). Anything else (no orchestrator, a refused
 * beat, a slow answer) falls back to the full CLI, which routes, acts directly or reports the error
 * exactly as before; a beat counted twice is harmless.
 */

/** Longest wait for the orchestrator's answer before the full CLI takes over. */
const answerWithinMs = 3000;
/** A unix socket path longer than this is a symlink to a short one (see control/socket-path.ts). */
const maxSocketPath = 103;

async function viaSocket(name: string): Promise<boolean> {
	// As the full CLI finds it; without a `.cmux/` above, no socket is there and the full CLI answers.
	const root = findProjectRoot(process.cwd());
	let target = path.join(root, '.cmux', 'cmux.sock');
	try {
		target = Buffer.byteLength(target) > maxSocketPath ? fs.realpathSync(target) : target;
	} catch {
		// No socket (no orchestrator): the full CLI acts directly.
		return false;
	}

	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		const socket = net.createConnection(target, () => {
			socket.end(`${JSON.stringify({command: 'beat', params: {name}})}\n`);
		});
		const timer = setTimeout(() => {
			socket.destroy();
			resolve(false);
		}, answerWithinMs);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('end', () => {
			clearTimeout(timer);
			try {
				const reply = JSON.parse(Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '') as {ok?: unknown};
				resolve(reply.ok === true);
			} catch {
				// Not a reply we understand: the full CLI asks again and reports what it gets.
				resolve(false);
			}
		});
		socket.on('error', () => {
			clearTimeout(timer);
			resolve(false);
		});
	});
}

if (!await viaSocket(process.argv[3] ?? '')) {
	await import('./cli.js');
}
