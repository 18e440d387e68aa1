import fs from 'node:fs';
import net from 'node:net';
import type {HandlerApi} from '../core/api.js';
import {CmuxError, errorText, exitCodes, StateError} from '../core/errors.js';
import type {Logger} from '../core/logger.js';
import {listenPath} from './socket-path.js';
import {maxRequestBytes, requestSchema, requestTimeoutMs, type ControlReply} from './protocol.js';

export interface ControlServerOptions {
	/** `.cmux/cmux.sock`. */
	file: string;
	api: HandlerApi;
	/** Resolves once the orchestrator's services have started; requests wait for it. */
	ready: Promise<void>;
	log: Logger;
	maxBytes?: number;
	timeoutMs?: number;
}

/**
 * The orchestrator's control socket: a unix socket (0600) answering one newline-terminated JSON
 * request per connection with one JSON line. Anything that is not a valid request (bytes that are
 * not JSON, an unknown command, bad parameters, too long, too slow) gets an error reply and the
 * connection is closed; nothing a client sends can stop the server.
 */
export class ControlServer {
	private server?: net.Server;
	private inode?: number;
	private target?: string;
	private closing = false;
	private readonly closed: Promise<void>;
	private markClosed!: () => void;

	constructor(private readonly options: ControlServerOptions) {
		this.closed = new Promise(resolve => {
			this.markClosed = resolve;
		});
	}

	/** Listen on the socket file. The caller holds the project's pid lock, so a file already there is stale. */
	async listen(): Promise<void> {
		const {file} = this.options;
		const target = listenPath(file);
		fs.rmSync(file, {force: true});
		fs.rmSync(target, {force: true});
		const server = net.createServer({allowHalfOpen: true}, socket => {
			this.accept(socket);
		});
		server.maxConnections = 64;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(target, () => {
				server.off('error', reject);
				resolve();
			});
		}).catch((error: unknown) => {
			throw new StateError(`cannot listen on the control socket ${file}: ${errorText(error)}`, {cause: error});
		});
		server.on('error', error => {
			this.options.log.log('error', `control socket: ${errorText(error)}`);
		});
		fs.chmodSync(target, 0o600);
		this.inode = fs.statSync(target).ino;
		this.target = target;
		if (target !== file) {
			fs.symlinkSync(target, file);
		}

		this.server = server;
	}

	/** Stop accepting requests and remove the socket file (only ours: a later orchestrator's stays). */
	async close(): Promise<void> {
		if (this.closing) {
			return;
		}

		this.closing = true;
		this.markClosed();
		// Ours only (a later orchestrator's stays): checked before close, which may unlink the socket itself.
		let ours = false;
		try {
			ours = this.target !== undefined && fs.statSync(this.options.file).ino === this.inode;
		} catch {
			// The socket is gone (removed by hand): what may be left of ours is a dangling symlink to it.
			ours = this.target !== undefined && this.target !== this.options.file && linkTarget(this.options.file) === this.target;
		}

		// Requests in flight finish on their own; their connections are not waited for.
		this.server?.close();
		if (ours) {
			fs.rmSync(this.options.file, {force: true});
			fs.rmSync(this.target!, {force: true});
		}
	}

	private accept(socket: net.Socket): void {
		const limit = this.options.maxBytes ?? maxRequestBytes;
		const chunks: Buffer[] = [];
		let size = 0;
		let received = false;
		const finish = (data: Buffer) => {
			received = true;
			socket.setTimeout(0);
			socket.removeAllListeners('data');
			void this.dispatch(data).then(reply => {
				if (!socket.destroyed) {
					socket.end(`${JSON.stringify(reply)}\n`);
					// A client that never closes its side is not kept forever.
					socket.setTimeout(this.options.timeoutMs ?? requestTimeoutMs, () => socket.destroy());
				}
			});
		};

		socket.setTimeout(this.options.timeoutMs ?? requestTimeoutMs, () => {
			this.refuse(socket, `request not complete within ${this.options.timeoutMs ?? requestTimeoutMs} ms`);
		});
		socket.on('error', error => {
			// A client that went away mid-request: nothing to answer.
			this.options.log.log('debug', `control socket client: ${errorText(error)}`);
		});
		socket.on('data', (chunk: Buffer) => {
			const newline = chunk.indexOf(10);
			if (newline >= 0) {
				chunks.push(chunk.subarray(0, newline));
				finish(Buffer.concat(chunks));
				return;
			}

			chunks.push(chunk);
			size += chunk.length;
			if (size > limit) {
				received = true;
				this.refuse(socket, `request longer than ${limit} bytes`);
			}
		});
		socket.on('end', () => {
			if (!received) {
				finish(Buffer.concat(chunks));
			}
		});
	}

	/** Answer with an error and close, without reading the rest of what the client sends. */
	private refuse(socket: net.Socket, message: string): void {
		socket.removeAllListeners('data');
		if (!socket.destroyed) {
			socket.end(`${JSON.stringify(errorReply(new CmuxError(message, {exitCode: exitCodes.usage})))}\n`);
			socket.destroySoon();
		}
	}

	private async dispatch(data: Buffer): Promise<ControlReply> {
		let raw: unknown;
		try {
			raw = JSON.parse(data.toString('utf8'));
		} catch {
			return errorReply(new CmuxError('request: not valid JSON (send one JSON object on one line)', {exitCode: exitCodes.usage}));
		}

		const parsed = requestSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(request)';
			const detail = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map(key => JSON.stringify(key)).join(', ')}` : `expected ${issue.message}`;
			return errorReply(new CmuxError(`request: ${field}: ${detail}`, {exitCode: exitCodes.usage}));
		}

		const {id, command, params} = parsed.data;
		try {
			await Promise.race([this.options.ready, this.closed]);
			if (this.closing) {
				throw new StateError('the orchestrator is stopping');
			}

			return {...(id === undefined ? {} : {id}), ok: true, result: await this.options.api.callUnknown(command, params)};
		} catch (error) {
			if (!(error instanceof CmuxError)) {
				this.options.log.log('error', `control command ${command} failed: ${errorText(error)}`);
			}

			return {...(id === undefined ? {} : {id}), ...errorReply(error)};
		}
	}
}

function linkTarget(file: string): string | undefined {
	try {
		return fs.readlinkSync(file);
	} catch {
		// Not there, or not a symlink: nothing points at our socket.
		return undefined;
	}
}

function errorReply(error: unknown): ControlReply {
	return {ok: false, error: {message: errorText(error), exitCode: error instanceof CmuxError ? error.exitCode : exitCodes.failed, type: error instanceof Error ? error.name : 'Error'}};
}
