import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {CmuxError} from '../errors.js';
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
 * `healthHost`). Everything else is 404, a wrong method 405, a body over 64 KiB 413.
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
		const path = (request.url ?? '/').split('?')[0]!;
		const route = path === '/health' || path === '/metrics' ? {method: 'GET'}
			: /^\/beat\/[^/]+$/.test(path) ? {method: 'POST'} : undefined;
		if (!route) {
			return send(response, 404, {error: 'not found'});
		}

		if (request.method !== route.method) {
			response.setHeader('Allow', route.method);
			return send(response, 405, {error: 'method not allowed'});
		}

		const foreign = route.method === 'POST' ? foreignRequest(request.headers) : undefined;
		if (foreign) {
			return send(response, 403, {error: foreign});
		}

		if (Number(request.headers['content-length'] ?? 0) > maxBody) {
			response.setHeader('Connection', 'close');
			return send(response, 413, {error: 'body too large'});
		}

		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBody && !response.headersSent) {
				response.setHeader('Connection', 'close');
				send(response, 413, {error: 'body too large'});
				request.destroy();
			}
		});
		request.on('end', () => {
			if (!response.headersSent) {
				this.respond(path, response);
			}
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

		recordBeat(store, name);
		send(response, 200, {ok: true, agent: name});
	}
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, {'Content-Type': 'application/json'});
	response.end(`${JSON.stringify(body)}\n`);
}

function safeDecode(text: string): string | undefined {
	try {
		return decodeURIComponent(text);
	} catch {
		return undefined;
	}
}
