import type {Handlers} from '../api.js';
import type {FrontendConfig} from '../config/schema.js';
import {errorText} from '../errors.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {checkFrontend, frontendPaths} from './check.js';
import {rebuildFrontend, type RebuildResult} from './rebuild.js';

const defaultInterval = 30_000;

/**
 * Frontend bundle health: checks it every interval and reports it in service_state `frontend`;
 * builds a missing dist on start (registered before the server, so the server starts on a bundle);
 * its command `frontend.rebuild` rebuilds atomically. Never touches the server's health.
 */
export class FrontendService implements Service {
	readonly name = 'frontend';
	private timer?: NodeJS.Timeout;
	private stopped = false;
	private lastBuild?: {ts: string; ok: boolean; ms: number};
	private status?: string;
	private building?: Promise<RebuildResult>;
	readonly commands: Handlers = {
		'frontend.rebuild': async () => this.rebuild(),
	};

	constructor(private readonly context: ServiceContext, private readonly config: FrontendConfig, private readonly interval = context.config.server?.interval ?? defaultInterval) {
		const previous = context.store.serviceState('frontend')?.detail.lastBuild;
		if (previous && typeof previous === 'object') {
			this.lastBuild = previous as FrontendService['lastBuild'];
		}
	}

	async start(): Promise<void> {
		const first = await checkFrontend(this.config, this.context.paths.root);
		if (first.missing) {
			await this.rebuild();
		} else {
			this.report(first);
		}

		this.schedule();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		// rebuild() turns every failure into a RebuildResult; this only waits for it to end.
		await this.building?.catch(() => undefined);
	}

	/** Rebuild (one at a time), emit the outcome, re-check. */
	async rebuild(): Promise<RebuildResult> {
		this.building ??= (async () => {
			const result = await rebuildFrontend(this.config, this.context.paths.root).catch((error: unknown): RebuildResult =>
				({ok: false, ms: 0, installed: false, steps: [], reason: errorText(error), output: []}));
			this.lastBuild = {ts: new Date().toISOString(), ok: result.ok, ms: result.ms};
			this.context.emit(result.ok
				? {type: 'frontend.rebuilt', ms: result.ms, installed: result.installed}
				: {type: 'frontend.rebuild_failed', reason: result.reason, output: result.output, installed: result.installed});
			this.report(await checkFrontend(this.config, this.context.paths.root), result.ok ? undefined : result.reason);
			return result;
		})().finally(() => {
			this.building = undefined;
		});
		return this.building;
	}

	private schedule(): void {
		this.timer = setTimeout(() => {
			void checkFrontend(this.config, this.context.paths.root).then(check => {
				if (!this.building && !this.stopped) {
					this.report(check);
				}
			}).catch((error: unknown) => {
				this.context.log.log('warn', `frontend check failed: ${errorText(error)}`);
			}).finally(() => {
				if (!this.stopped) {
					this.schedule();
				}
			});
		}, this.interval);
		this.timer.unref();
	}

	private report(check: Awaited<ReturnType<typeof checkFrontend>>, buildFailure?: string): void {
		const status = check.ok ? (buildFailure ? 'degraded' : 'healthy') : 'unhealthy';
		const reason = [...check.problems, ...(buildFailure ? [`last rebuild failed: ${buildFailure}`] : [])].join('; ');
		if (status === 'unhealthy' && this.status !== 'unhealthy') {
			this.context.emit({type: 'frontend.unhealthy', reason});
		}

		this.status = status;
		this.context.store.setServiceState('frontend', status, {
			dist: frontendPaths(this.config, this.context.paths.root).dist,
			lastCheck: {ts: new Date().toISOString(), ok: check.ok},
			...(this.lastBuild ? {lastBuild: this.lastBuild} : {}),
			...(reason ? {reason} : {}),
		});
	}
}
