import type {Clock} from './clock.js';
import {ControlServer} from '../control/server.js';
import {errorText} from './errors.js';
import {FileLogger, type Logger} from './logger.js';
import {Orchestrator, type ServiceFactory} from './orchestrator.js';
import {acquirePidLock} from './pid-lock.js';
import {openStore, type Project} from './project.js';
import {serviceFactories} from './services.js';
import type {TmuxClient} from './tmux/client.js';
import {ControlTmuxClient} from './tmux/control-client.js';

export interface RunningOrchestrator {
	orchestrator: Orchestrator;
	/** Start the services (subscribe to `orchestrator` first to see `orchestrator.started`). */
	start(): Promise<void>;
	/** Stop every service, close the store and release the lock. Safe to call more than once. */
	shutdown(signal?: string): Promise<void>;
}

/**
 * Take the project's lock, open the store and build the orchestrator. Whatever fails in `start`,
 * nothing is left half-started: the lock is released and the store closed before the error is rethrown.
 */
export function createOrchestrator(project: Project, options: {factories?: readonly ServiceFactory[]; tmux?: TmuxClient; log?: Logger; clock?: Clock} = {}): RunningOrchestrator {
	const store = openStore(project.paths);
	let release: (() => void) | undefined;
	try {
		release = acquirePidLock(project.paths.pidFile);
	} catch (error) {
		store.close();
		throw error;
	}

	const log = options.log ?? new FileLogger(project.paths.logFile);
	store.log = log;
	// One persistent control-mode connection: commands without a subprocess each, and notifications.
	const tmux = options.tmux ?? new ControlTmuxClient({socket: project.config.tmuxSocket, session: project.config.session, log});
	const orchestrator = new Orchestrator({config: project.config, paths: project.paths, store, tmux, log, ...(options.clock ? {clock: options.clock} : {}), factories: options.factories ?? serviceFactories});
	// The CLI's way in: while this orchestrator runs, every state-changing command comes through it.
	const control = new ControlServer({file: project.paths.socketFile, api: orchestrator.api, ready: orchestrator.started, log});
	let closed: Promise<void> | undefined;
	const shutdown = async (signal?: string) => {
		closed ??= (async () => {
			// No new command may reach services that are stopping.
			await control.close();
			await orchestrator.stop(signal);
			store.setServiceState('orchestrator', 'off', {pid: process.pid, stoppedAt: new Date().toISOString()});
			await tmux.close().catch((error: unknown) => {
				log.log('warn', `closing tmux: ${errorText(error)}`);
			});
			store.close();
			release?.();
		})();
		return closed;
	};

	const start = async () => {
		store.setServiceState('orchestrator', 'healthy', {pid: process.pid, startedAt: new Date().toISOString(), project: project.root});
		try {
			// Before the services start, so a CLI command never acts beside a starting orchestrator;
			// requests wait until the services are up.
			await control.listen();
			await orchestrator.start();
		} catch (error) {
			await shutdown('start-failed');
			throw error;
		}
	};

	return {orchestrator, start, shutdown};
}
