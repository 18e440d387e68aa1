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
	/** `emit` for several events at once: stored in one transaction (far cheaper than one each), then handed out in order. */
	emitAll(events: readonly EventInput[]): void;
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

/** A heartbeat (`beat`, `POST /beat/NAME`) as it was recorded (`'beat'` on the orchestrator): supervision takes it at once. */
export interface BeatSignal {
	agent: string;
	/** When it was recorded (epoch ms). */
	at: number;
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
export class Orchestrator extends EventEmitter<{event: [CmuxEvent]; hook: [HookSignal]; output: [string]; beat: [BeatSignal]}> {
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
			emitAll: events => {
				this.emitEvents(events);
			},
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
		return this.emitEvents([input])[0]!;
	}

	/** `emitEvent` for several events: all stored in one transaction, then each handed to subscribers in order. */
	emitEvents(inputs: readonly EventInput[]): CmuxEvent[] {
		const {store, clock, log} = this.context;
		const events = inputs.map(input => ({...input, ts: input.ts ?? isoNow(clock)} as CmuxEvent));
		try {
			const insert = () => {
				for (const event of events) {
					event.seq = store.insertEvent(event);
				}
			};

			if (events.length === 1) {
				insert();
			} else {
				store.transaction(insert);
			}
		} catch (error) {
			for (const event of events) {
				delete event.seq;
			}

			log.log('error', `cannot store event ${events.map(event => event.type).join(', ')}: ${errorText(error)}`);
		}

		for (const event of events) {
			for (const listener of this.listeners('event')) {
				try {
					(listener as (event: CmuxEvent) => void)(event);
				} catch (error) {
					log.log('error', `event subscriber failed on ${event.type}: ${errorText(error)}`);
				}
			}
		}

		return events;
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
