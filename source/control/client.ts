import net from 'node:net';
import {CmuxError, errorText, exitCodes} from '../core/errors.js';
import {replySchema} from './protocol.js';
import {connectPath} from './socket-path.js';

/** The socket is not there or nobody listens on it (as opposed to a command that failed). */
export class SocketUnavailableError extends CmuxError {
	constructor(readonly code: string, message: string) {
		super(message, {exitCode: exitCodes.failed});
	}
}

/**
 * Send one request to the control socket and wait for its reply. A reply that reports an error is
 * thrown as a CmuxError with the exit code the orchestrator gave it, so the CLI exits as it would
 * have acting directly.
 */
export async function sendRequest(file: string, command: string, params: unknown): Promise<unknown> {
	let target: string;
	try {
		target = connectPath(file);
	} catch (error) {
		throw new SocketUnavailableError((error as NodeJS.ErrnoException).code ?? 'unknown', `cannot connect to ${file}: ${errorText(error)}`);
	}

	const text = await new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let connected = false;
		const socket = net.createConnection(target, () => {
			connected = true;
			socket.end(`${JSON.stringify({command, params})}\n`);
		});
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('end', () => {
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			reject(connected
				? new CmuxError(`the orchestrator's control socket closed mid-request: ${error.message}`, {cause: error})
				: new SocketUnavailableError(error.code ?? 'unknown', `cannot connect to ${file}: ${error.message}`));
		});
	});
	const line = text.split('\n')[0] ?? '';
	let raw: unknown;
	try {
		raw = JSON.parse(line);
	} catch (error) {
		throw new CmuxError(`the orchestrator sent a reply that is not JSON: ${JSON.stringify(line.slice(0, 200))}`, {cause: error});
	}

	const reply = replySchema.safeParse(raw);
	if (!reply.success) {
		throw new CmuxError(`the orchestrator sent a malformed reply: ${errorText(reply.error.issues[0]?.message)}`);
	}

	if (!reply.data.ok) {
		throw new CmuxError(reply.data.error.message, {exitCode: reply.data.error.exitCode});
	}

	return reply.data.result;
}
