import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {matchCompatRoute} from '../compat/routes.js';
import {CmuxError, errorText} from '../errors.js';
import {isKnownAgent, recordBeat} from '../heartbeat/beat.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {foreignRequest} from './local-request.js';
import {renderMetrics} from './metrics.js';
import {buildReport} from './report.js';

const maxBody = 64 * 1024;
/** An HTTP/1 request line: a method token, a target, the version. */
const requestLine = /^[!#$%&'*+.^_`|~\w-]+ \S+ HTTP\/1\.[01]\r?\n/;

/**
 * The only listener: `GET /health`, `GET /metrics`, `POST /beat/NAME` on 127.0.0.1 (or
 * `healthHost`), and CMUX's agent-facing API (`/api/…`, compat/routes.ts; loopback callers only).
 * Everything else is 404, a wrong method 405, a body over 64 KiB 413.
 */
export class HealthServer implements Service {
	readonly name = 'health-port';
	private server?: http.Server;

	constructor(private readonly context: ServiceContext) {}

	/** The bound port (useful when configured as an ephemeral port in tests). */
	get port(): number | undefined {
		return (this.server?.address() as AddressInfo | null)?.port;
	}

	async start(): Promise<void> {
		const {healthPort, healthHost} = this.context.config;
		const server = http.createServer((request, response) => {
			this.handle(request, response);
		});
		server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
			if (socket.writable) {
				// Node's parser refuses methods it does not know before any handler runs: a well-formed
				// request line with such a method is still a wrong method (405); garbage stays 400.
				socket.end(error.code === 'HPE_INVALID_METHOD' && requestLine.test(String((error as {rawPacket?: Buffer}).rawPacket ?? ''))
					? 'HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'
					: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			}
		});
		server.requestTimeout = 10_000;
		server.headersTimeout = 5000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', error => {
				reject((error as NodeJS.ErrnoException).code === 'EADDRINUSE'
					? new CmuxError(`health port ${healthHost}:${healthPort} is already in use; set "healthPort" in .cmux/config.json or CMUX_HEALTH_PORT to a free port (0 turns it off)`, {cause: error})
					: new CmuxError(`cannot listen on ${healthHost}:${healthPort}: ${error.message}`, {cause: error}));
			});
			server.listen(healthPort, healthHost, () => {
				resolve();
			});
		});
		this.server = server;
		this.context.log.log('info', `health port listening on ${healthHost}:${this.port}`);
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server) {
			server.closeAllConnections();
			await new Promise(resolve => {
				server.close(resolve);
			});
		}
	}

	private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
		const [path = '/', search = ''] = (request.url ?? '/').split('?');
		const compat = matchCompatRoute(request.method ?? '', path);
		const route = compat ? {method: 'run' in compat ? request.method! : compat.allow}
			: path === '/health' || path === '/metrics' ? {method: 'GET'}
				: /^\/beat\/[^/]+$/.test(path) ? {method: 'POST'} : undefined;
		if (!route) {
			return send(response, 404, {error: 'not found'});
		}

		if (request.method !== route.method) {
			response.setHeader('Allow', route.method);
			return send(response, 405, {error: 'method not allowed'});
		}

		if (compat && !isLoopback(request.socket.remoteAddress)) {
			// CMUX's agent-facing API changes state: only for callers on this machine, whatever healthHost is.
			return send(response, 403, {detail: 'the CMUX API answers 127.0.0.1 only'});
		}

		// A state-changing request must name this machine as its Host and come from no foreign page.
		const foreign = route.method === 'GET' ? undefined : foreignRequest(request.headers);
		if (foreign) {
			return send(response, 403, {error: foreign});
		}

		if (Number(request.headers['content-length'] ?? 0) > maxBody) {
			response.setHeader('Connection', 'close');
			return send(response, 413, {error: 'body too large'});
		}

		let size = 0;
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBody && !response.headersSent) {
				response.setHeader('Connection', 'close');
				send(response, 413, {error: 'body too large'});
				request.destroy();
			} else if (compat) {
				chunks.push(chunk);
			}
		});
		request.on('end', () => {
			if (response.headersSent) {
				return;
			}

			if (compat && 'run' in compat) {
				compat.run(this.context, {query: new URLSearchParams(search), body: Buffer.concat(chunks).toString('utf8')}).then(answer => {
					send(response, answer.status, answer.body);
				}, (error: unknown) => {
					this.context.log.log('error', `CMUX API ${request.method} ${path} failed: ${errorText(error)}`);
					send(response, error instanceof CmuxError ? 409 : 500, {detail: errorText(error)});
				});
				return;
			}

			this.respond(path, response);
		});
	}

	private respond(path: string, response: http.ServerResponse): void {
		const {store, config} = this.context;
		if (path === '/health') {
			const report = buildReport(store);
			return send(response, report.status === 'healthy' ? 200 : 503, report);
		}

		if (path === '/metrics') {
			response.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8'});
			response.end(renderMetrics(buildReport(store), store));
			return;
		}

		const name = safeDecode(path.slice('/beat/'.length));
		if (name === undefined || !isKnownAgent(store, config, name)) {
			return send(response, 404, {error: `unknown agent ${name}`});
		}

		const ts = new Date().toISOString();
		recordBeat(store, name, ts);
		this.context.orchestrator.emit('beat', {agent: name, at: Date.parse(ts)});
		send(response, 200, {ok: true, agent: name});
	}
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, {'Content-Type': 'application/json'});
	response.end(`${JSON.stringify(body)}\n`);
}

function isLoopback(address: string | undefined): boolean {
	return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function safeDecode(text: string): string | undefined {
	try {
		return decodeURIComponent(text);
	} catch {
		return undefined;
	}
}
