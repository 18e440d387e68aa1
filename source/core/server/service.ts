import type {Handlers} from '../api.js';
import type {ServerConfig} from '../config/schema.js';
import {errorText, StateError} from '../errors.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import type {Status} from '../store/store.js';
import {startReport, stopReport} from './actions.js';
import {rotateRunningLog} from './log-file.js';
import {ServerManager} from './manager.js';
import type {ProbeResult} from './probe.js';
import {nextRestart, type RestartPolicy} from './restart-policy.js';
import type {ServerRecord} from './record.js';
import type {StopResult} from './stop.js';

/**
 * The managed dev server inside the orchestrator: starts or adopts it, probes it every `interval`,
 * restarts it with exponential backoff after `failures` failed probes or a crash, and stops
 * restarting in a crash loop. Leaves the server running when the orchestrator quits (the next one
 * adopts it). Its commands `server.stop|start|restart` are the only way to stop it for real: a
 * stopped server stays stopped (no probe, no restart) until `server.start`.
 */
export class ServerService implements Service {
	readonly name = 'server';
	readonly manager: ServerManager;
	private record?: ServerRecord;
	private adopted = false;
	private restarts = 0;
	private readonly recent: number[] = [];
	private failures = 0;
	private lastProbe?: ProbeResult;
	private reason?: string;
	private timer?: NodeJS.Timeout;
	private restartTimer?: NodeJS.Timeout;
	private busy = false;
	/** Bumped by a manual stop, so a restart that was already due does not bring the server back. */
	private generation = 0;
	private stopped = false;
	readonly commands: Handlers = {
		'server.stop': async () => stopReport(await this.exclusive(async () => this.stopServer()), this.config.port),
		'server.start': async () => startReport('start', await this.exclusive(async () => this.requestedStart()), this.config.port),
		'server.restart': async () => startReport('restart', await this.exclusive(async () => this.restart('requested', true)), this.config.port),
	};

	constructor(private readonly context: ServiceContext, private readonly config: ServerConfig, private readonly policy: Partial<RestartPolicy> = {}) {
		this.manager = new ServerManager({config, paths: context.paths, emit: event => context.emit(event), log: context.log});
	}

	async start(): Promise<void> {
		await this.exclusive(async () => this.launch());
		this.schedule(this.config.interval);
	}

	/** The orchestrator is quitting: stop watching, leave the server running for the next one to adopt. */
	async stop(): Promise<void> {
		this.stopped = true;
		this.context.clock.clearTimeout(this.timer);
		this.context.clock.clearTimeout(this.restartTimer);
		this.manager.child?.removeAllListeners('exit');
	}

	/**
	 * Start (or adopt) the server. A failure is reported and, unless `requested`, handed to the
	 * restart policy; a requested start that fails throws instead (the caller reports it).
	 */
	private async launch(restartReason?: string, requested = false): Promise<{record: ServerRecord; adopted: boolean} | undefined> {
		try {
			const {record, adopted} = await this.manager.start();
			this.record = record;
			this.adopted = adopted;
			this.failures = 0;
			this.reason = undefined;
			this.manager.child?.once('exit', (code, signal) => {
				if (this.record?.pid === record.pid && !this.busy && !this.stopped) {
					this.background(async () => this.onExit(code, signal));
				}
			});
			this.publish('healthy');
			if (restartReason) {
				this.context.emit({type: 'server.restarted', pid: record.pid, restarts: this.restarts, reason: restartReason});
			}

			return {record, adopted};
		} catch (error) {
			this.record = undefined;
			if (requested) {
				this.reason = errorText(error);
				this.publish('unhealthy');
				throw error;
			}

			await this.failed(errorText(error));
			return undefined;
		}
	}

	/** `server.start`: a running server is adopted as it is; a stopped one starts, its crash history cleared. */
	private async requestedStart(): Promise<{record: ServerRecord; adopted: boolean}> {
		this.generation++;
		this.context.clock.clearTimeout(this.restartTimer);
		this.recent.length = 0;
		const running = this.record && this.manager.current();
		return running ? {record: running, adopted: true} : (await this.launch(undefined, true))!;
	}

	private async tick(): Promise<void> {
		if (this.stopped || this.busy || !this.record) {
			return;
		}

		if (!this.manager.current()) {
			await this.exclusive(async () => this.onExit(null, null));
			return;
		}

		rotateRunningLog(this.manager.logFile);
		const probe = await this.manager.probe(Math.min(this.config.interval, 5000));
		if (this.stopped || this.busy || !this.record) {
			return;
		}

		this.lastProbe = probe;
		if (probe.ok) {
			this.failures = 0;
			this.reason = undefined;
			this.publish('healthy');
			return;
		}

		this.failures++;
		this.reason = `${this.failures} failed probe(s): ${probe.error}`;
		if (this.failures < this.config.failures) {
			this.publish('degraded');
			return;
		}

		await this.exclusive(async () => this.failed(`health check failed ${this.failures} times: ${probe.error}`));
	}

	private async onExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
		if (!this.record) {
			return;
		}

		const how = signal ? `killed by ${signal}` : code === null ? 'exited' : `exited with code ${code}`;
		if (code === 0 && this.config.restart === 'on-failure') {
			await this.manager.stop('exited');
			this.record = undefined;
			this.reason = `the server ${how}`;
			this.publish('off');
			return;
		}

		await this.failed(`the server ${how}`);
	}

	/** The server is down or unhealthy: report it, then restart with backoff unless policy or a crash loop says no. */
	private async failed(reason: string): Promise<void> {
		this.reason = reason;
		const decision = nextRestart(this.config.restart, this.recent, this.context.clock.now(), this.policy);
		this.context.emit({type: 'server.unhealthy', reason, failures: this.failures, restarts: this.restarts, ...(decision.giveUp ? {gaveUp: true, why: decision.why} : {})});
		if (decision.giveUp) {
			this.reason = `${reason}; ${decision.why}`;
			this.publish('unhealthy');
			return;
		}

		this.publish('unhealthy', {nextRestartAt: new Date(this.context.clock.now() + decision.delay).toISOString()});
		this.context.clock.clearTimeout(this.restartTimer);
		const generation = this.generation;
		this.restartTimer = this.context.clock.setTimeout(() => {
			this.background(async () => {
				if (generation === this.generation) {
					await this.restart(reason, false);
				}
			});
		}, decision.delay);
	}

	private async restart(reason: string, requested: true): Promise<{record: ServerRecord; adopted: boolean}>;
	private async restart(reason: string, requested: false): Promise<unknown>;
	private async restart(reason: string, requested: boolean): Promise<unknown> {
		if (this.stopped) {
			throw new StateError('the orchestrator is stopping');
		}

		if (requested) {
			this.generation++;
			this.recent.length = 0;
		} else {
			this.recent.push(this.context.clock.now());
		}

		this.context.clock.clearTimeout(this.restartTimer);
		await this.manager.stop('restart');
		this.restarts++;
		this.record = undefined;
		return this.launch(reason, requested);
	}

	private async stopServer(): Promise<StopResult> {
		this.generation++;
		this.context.clock.clearTimeout(this.restartTimer);
		const result = await this.manager.stop('requested');
		this.record = undefined;
		this.reason = 'stopped';
		this.publish('off');
		return result;
	}

	private schedule(delay: number): void {
		this.context.clock.clearTimeout(this.timer);
		if (this.stopped) {
			return;
		}

		this.timer = this.context.clock.setTimeout(() => {
			void this.tick().catch((error: unknown) => {
				if (!this.stopped) {
					this.context.log.log('error', `server probe failed: ${errorText(error)}`);
				}
			}).finally(() => {
				this.schedule(this.config.interval);
			});
		}, delay);
	}

	/** An exclusive action nobody awaits (a timer, an exit handler): its failure is logged. */
	private background(action: () => Promise<void>): void {
		this.exclusive(action).catch((error: unknown) => {
			if (!this.stopped) {
				this.context.log.log('error', `server: ${errorText(error)}`);
			}
		});
	}

	/** Start, stop, restart and crash handling never overlap. */
	private async exclusive<T>(action: () => Promise<T>): Promise<T> {
		while (this.busy) {
			// Not timing logic, only a turn-taking poll: it stays on real time so a fake clock cannot stall it.
			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}

		this.busy = true;
		try {
			return await action();
		} catch (error) {
			// An action still running when the orchestrator stopped may find the store closed: its
			// caller (a timer, a command) learns that the orchestrator is stopping.
			throw this.stopped ? new StateError('the orchestrator is stopping', {cause: error}) : error;
		} finally {
			this.busy = false;
		}
	}

	private publish(status: Status, extra: Record<string, unknown> = {}): void {
		if (this.stopped) {
			return;
		}

		const record = this.record;
		this.context.store.setServiceState('server', status, {
			...(record ? {pid: record.pid, startedAt: record.startedAt, adopted: this.adopted} : {}),
			...(this.config.port === undefined ? {} : {port: this.config.port}),
			...(this.lastProbe ? {lastProbe: {ts: this.lastProbe.ts, ok: this.lastProbe.ok, ms: this.lastProbe.ms}} : {}),
			restarts: this.restarts,
			failures: this.failures,
			logFile: this.manager.logFile,
			...(status === 'healthy' || !this.reason ? {} : {reason: this.reason}),
			...extra,
		});
	}
}
