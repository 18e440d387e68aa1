import {EventEmitter} from 'node:events';
import {HandlerApi, type Api, type CommandName, type Handlers} from './api.js';
import type {Clock} from './clock.js';
import {isoNow, systemClock} from './clock.js';
import type {Config} from './config/schema.js';
import type {Paths} from './config/paths.js';
import {errorText, StateError} from './errors.js';
import type {CmuxEvent, EventInput} from './events.js';
import type {Logger} from './logger.js';
import type {Store} from './store/store.js';
import type {TmuxClient} from './tmux/client.js';

/** What every service is given: typed config, paths, the store, the tmux client and `emit`. */
export interface ServiceContext {
	config: Config;
	paths: Paths;
	store: Store;
	tmux: TmuxClient;
	clock: Clock;
	log: Logger;
	/** Persist an event and hand it to every subscriber. */
	emit(event: EventInput): CmuxEvent;
	/** The commands of every service, for a service that acts through another's (rollback → server). */
	api: Api;
	/** The running orchestrator, for services that subscribe to events. */
	orchestrator: Orchestrator;
}

/** A hook call of an agent as supervision took it in (`'hook'` on the orchestrator), for services that read its payload. */
export interface HookSignal {
	agent: string;
	ts: number;
	payload: Record<string, unknown>;
}

/** One part of the orchestrator loop. Started in list order, stopped in reverse. */
export interface Service {
	readonly name: string;
	start(): Promise<void>;
	stop(): Promise<void>;
	/** The API commands this service implements, fixed when it is constructed. */
	readonly commands?: Handlers;
}

export type ServiceFactory = (context: ServiceContext) => Service | undefined;

/**
 * Composes the services and owns the loop. An EventEmitter: `'event'` carries every CmuxEvent
 * after it is stored; `'hook'` each agent hook taken in; `'output'` the name of an agent whose
 * pane just produced output (from tmux's `%output`, in-process only: never stored or printed);
 * `'error'` is never emitted (service failures become log lines).
 */
export class Orchestrator extends EventEmitter<{event: [CmuxEvent]; hook: [HookSignal]; output: [string]}> {
	/** The one typed command interface, implemented by the services (see api.ts). */
	readonly api: HandlerApi;
	readonly context: ServiceContext;
	private readonly services: Service[] = [];
	private running: Service[] = [];
	private stopping?: Promise<void>;
	private markStarted!: () => void;
	/** Resolves once every service has started (the control socket waits for it before dispatching). */
	readonly started: Promise<void> = new Promise(resolve => {
		this.markStarted = resolve;
	});

	constructor(options: {config: Config; paths: Paths; store: Store; tmux: TmuxClient; log: Logger; clock?: Clock; factories: readonly ServiceFactory[]}) {
		super();
		this.setMaxListeners(50);
		const handlers: Handlers = {};
		this.api = new HandlerApi(handlers, name => `${name} is not available (no running service provides it)`);
		this.context = {
			config: options.config,
			paths: options.paths,
			store: options.store,
			tmux: options.tmux,
			log: options.log,
			clock: options.clock ?? systemClock,
			emit: event => this.emitEvent(event),
			api: this.api,
			orchestrator: this,
		};
		for (const factory of options.factories) {
			const service = factory(this.context);
			if (service) {
				this.services.push(service);
				for (const name of Object.keys(service.commands ?? {}) as CommandName[]) {
					if (handlers[name]) {
						throw new StateError(`two services implement the command ${name}`);
					}

					(handlers as Record<string, unknown>)[name] = service.commands![name];
				}
			}
		}

		Object.freeze(handlers);
	}

	/** Persist an event, then hand it to subscribers. A subscriber that throws is logged, never fatal. */
	emitEvent(input: EventInput): CmuxEvent {
		const event = {...input, ts: input.ts ?? isoNow(this.context.clock)} as CmuxEvent;
		try {
			event.seq = this.context.store.insertEvent(event);
		} catch (error) {
			this.context.log.log('error', `cannot store event ${event.type}: ${errorText(error)}`);
		}

		for (const listener of this.listeners('event')) {
			try {
				(listener as (event: CmuxEvent) => void)(event);
			} catch (error) {
				this.context.log.log('error', `event subscriber failed on ${event.type}: ${errorText(error)}`);
			}
		}

		return event;
	}

	/** Start every service in order; if one fails, the ones already started are stopped and the error rethrown. */
	async start(): Promise<void> {
		this.emitEvent({type: 'orchestrator.started', pid: process.pid, project: this.context.paths.root});
		for (const service of this.services) {
			if (this.stopping) {
				// A signal arrived while starting: start nothing more (stop() is already under way).
				return;
			}

			try {
				await service.start();
			} catch (error) {
				// The failing service may hold what it opened before it threw: stop it too.
				this.running.push(service);
				await this.stop('start-failed');
				throw error;
			}

			if (this.stopping) {
				// Stopped while this one was starting: stop() did not know it yet.
				await service.stop().catch((error: unknown) => {
					this.context.log.log('error', `stopping ${service.name} failed: ${errorText(error)}`);
				});
				return;
			}

			this.running.push(service);
			this.context.log.log('info', `started ${service.name}`);
		}

		this.markStarted();
	}

	/** Stop the started services in reverse order; safe to call more than once. */
	async stop(signal?: string): Promise<void> {
		this.stopping ??= (async () => {
			this.emitEvent({type: 'orchestrator.stopping', ...(signal ? {signal} : {})});
			for (const service of this.running.reverse()) {
				try {
					await service.stop();
				} catch (error) {
					this.context.log.log('error', `stopping ${service.name} failed: ${errorText(error)}`);
				}
			}

			this.running = [];
		})();
		return this.stopping;
	}

	serviceNames(): string[] {
		return this.services.map(service => service.name);
	}
}
