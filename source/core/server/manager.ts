import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {sleep} from '../clock.js';
import type {Paths} from '../config/paths.js';
import type {ServerConfig} from '../config/schema.js';
import {StateError} from '../errors.js';
import type {EventInput} from '../events.js';
import type {Logger} from '../logger.js';
import {cookieVariable, makeCookie} from '../process/cookie.js';
import {isAlive} from '../process/table.js';
import {openServerLog, tailLines} from './log-file.js';
import {probePort, probeUrl, type ProbeResult} from './probe.js';
import {isOurs, portHolders, type PortHolder} from './port-owner.js';
import {processStart, readRecord, recordIsLive, removeRecord, writeRecord, type ServerRecord} from './record.js';
import {stopServerTree, type StopResult} from './stop.js';

export interface ServerManagerOptions {
	config: ServerConfig;
	paths: Paths;
	emit: (event: EventInput) => void;
	/** Hears why a server record on disk could not be used (it is then treated as absent). */
	log?: Logger;
}

/**
 * Starts, adopts, probes and stops the dev server. Stateless between calls apart from
 * `.cmux/server.json`, so the CLI and the orchestrator's service share it.
 */
export class ServerManager {
	/** The child when this process spawned it (undefined for an adopted server). */
	child?: ChildProcess;

	constructor(private readonly options: ServerManagerOptions) {}

	get config(): ServerConfig {
		return this.options.config;
	}

	get logFile(): string {
		return path.resolve(this.options.paths.root, this.config.logFile);
	}

	/** The record on disk, parsed; an unusable one is logged and treated as absent. */
	private record(): ServerRecord | undefined {
		return readRecord(this.options.paths, error => {
			this.options.log?.log('warn', `ignoring the server record: ${error.message}`);
		});
	}

	/** The running server we own, when there is one. */
	current(): ServerRecord | undefined {
		const record = this.record();
		return record && recordIsLive(record) ? record : undefined;
	}

	/**
	 * Start the server, or adopt the one already running. Refuses (StateError, after
	 * `server.port_busy`) when a process that is not ours holds the port. Resolves once the server is
	 * ready; a server that exits or stays unready past `startTimeout` is stopped and reported.
	 */
	async start(): Promise<{record: ServerRecord; adopted: boolean}> {
		const running = this.current();
		if (running) {
			return {record: running, adopted: true};
		}

		const {config, paths} = this.options;
		await this.clearPort();
		const cookie = makeCookie(paths.root, 'server');
		const log = openServerLog(this.logFile);
		let child: ChildProcess;
		try {
			// The user wrote a shell command, so a shell runs it; nothing of ours is interpolated into it.
			child = spawn('sh', ['-c', config.command], {
				cwd: path.resolve(paths.root, config.cwd ?? '.'),
				env: {...process.env, ...config.env, ...(config.port === undefined ? {} : {PORT: String(config.port)}), [cookieVariable]: cookie},
				detached: true,
				stdio: ['ignore', log, log],
			});
		} finally {
			fs.closeSync(log);
		}

		const spawnError = new Promise<Error>(resolve => child.once('error', resolve));
		child.unref();
		const pid = child.pid;
		if (pid === undefined) {
			throw new StateError(`cannot start the server (\`${config.command}\`): ${(await spawnError).message}`);
		}

		this.child = child;
		const record: ServerRecord = {
			pid, start: processStart(pid) ?? '', cookie, startedAt: new Date().toISOString(), logFile: this.logFile,
			...(config.port === undefined ? {} : {port: config.port}),
		};
		writeRecord(paths, record);
		const started = Date.now();
		const ready = await this.waitReady(child);
		if (!ready.ok) {
			await this.stop('start-failed');
			const tail = tailLines(this.logFile, 5);
			throw new StateError(`the server did not become ready: ${ready.error}${tail.length > 0 ? ` (last output: ${tail.join(' | ')})` : ''}`);
		}

		this.options.emit({type: 'server.started', pid, ...(config.port === undefined ? {} : {port: config.port}), ms: Date.now() - started});
		return {record, adopted: false};
	}

	/** One readiness/health probe: the health URL when configured, else the port, else "alive". */
	async probe(timeout = 2000): Promise<ProbeResult> {
		const {healthUrl, port} = this.config;
		if (healthUrl) {
			return probeUrl(healthUrl, timeout);
		}

		if (port !== undefined) {
			return probePort(port, timeout);
		}

		const alive = this.current() !== undefined;
		return {ts: new Date().toISOString(), ok: alive, ms: 0, ...(alive ? {} : {error: 'the server process is gone'})};
	}

	/** Stop the whole tree (see `stopServerTree`), forget the record, emit `server.stopped`. */
	async stop(reason = 'requested'): Promise<StopResult> {
		const {paths, config} = this.options;
		const record = this.record();
		const result = await stopServerTree({
			root: paths.root,
			record: record && recordIsLive(record) ? record : undefined,
			cookie: record?.cookie,
			port: config.port,
			grace: config.stopTimeout,
			onStranger: holder => {
				this.portBusy(holder);
			},
		});
		removeRecord(paths);
		this.child = undefined;
		this.options.emit({type: 'server.stopped', reason, ...result});
		return result;
	}

	/** Before a start: a leftover of ours on the port is stopped; a stranger makes the start fail. */
	private async clearPort(): Promise<void> {
		const {port} = this.config;
		if (port === undefined) {
			return;
		}

		const holders = portHolders(port);
		const stranger = holders.find(holder => !isOurs(this.options.paths.root, holder.pid));
		if (stranger) {
			this.portBusy(stranger);
			throw new StateError(`port ${port} is held by pid ${stranger.pid} (${stranger.command}), which cmux-tui did not start; stop that program or set server.port (or CMUX_PORT) to a free port`);
		}

		if (holders.length > 0) {
			await this.stop('orphan-on-port');
		}
	}

	private portBusy(holder: PortHolder): void {
		this.options.emit({type: 'server.port_busy', port: this.config.port!, pid: holder.pid, command: holder.command});
	}

	private async waitReady(child: ChildProcess): Promise<{ok: boolean; error?: string}> {
		const deadline = Date.now() + this.config.startTimeout;
		let exited: string | undefined;
		child.once('exit', (code, signal) => {
			exited = `it exited (${signal ?? `code ${code}`})`;
		});
		let last = 'no answer yet';
		while (Date.now() < deadline) {
			if (exited ?? (child.pid !== undefined && !isAlive(child.pid) ? 'it exited' : undefined)) {
				return {ok: false, error: exited ?? 'it exited'};
			}

			const result = this.config.healthUrl || this.config.port !== undefined
				? await this.probe(Math.max(100, Math.min(2000, deadline - Date.now())))
				: await sleep(300).then(() => ({ok: isAlive(child.pid!), error: 'it exited'}));
			if (result.ok) {
				return {ok: true};
			}

			last = result.error ?? last;
			await sleep(100);
		}

		return {ok: false, error: `not ready within ${this.config.startTimeout}ms (${last})`};
	}
}
