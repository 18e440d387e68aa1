import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
import type {ServiceContext} from '../orchestrator.js';
import {updateRegistry} from '../registry/registry.js';
import {killLeftovers} from './leftovers.js';
import type {AgentRecord} from './record.js';
import {decideRestart, type RestartOptions} from './restart-policy.js';

/** What the restart policy needs of the agent lifecycle (AgentLifecycle is one). */
export interface ExitHost {
	readonly context: ServiceContext;
	readonly restartOptions: RestartOptions;
	/** Set when the service stops: no restart is scheduled and no state is written after that. */
	readonly stopped: boolean;
	start(record: AgentRecord, how?: {restart?: {attempt: number; manual?: boolean}}): Promise<unknown>;
	setState(record: AgentRecord, state: AgentRecord['state'], detail?: Record<string, unknown>, clear?: {window?: null; pid?: null}): void;
	forget(record: AgentRecord): void;
}

/**
 * The restart policy after an agent's process or window ended: kill what it left behind, then
 * restart it after a delay, mark it failed (crash loop), mark it exited, or forget it.
 */
export async function afterExit(host: ExitHost, record: AgentRecord, exit: {reason: 'process-exited' | 'window-closed'; code?: number}, options: {windowId?: string; leftovers?: boolean; unregister?: boolean} = {}): Promise<void> {
	// Busy until its new state is set: a window-close notification meanwhile is not a second exit.
	record.busy = true;
	try {
		await decideAfterExit(host, record, exit, options);
	} finally {
		record.busy = false;
	}
}

async function decideAfterExit(host: ExitHost, record: AgentRecord, exit: {reason: 'process-exited' | 'window-closed'; code?: number}, options: {windowId?: string; leftovers?: boolean; unregister?: boolean}): Promise<void> {
	if (options.leftovers !== false) {
		// Whatever the pane left behind (children, the dead window) goes before any restart.
		await killLeftovers(host.context, record, undefined, options.windowId);
	}

	if (host.stopped) {
		return;
	}

	const {clock} = host.context;
	const now = clock.now();
	const decision = decideRestart(record.config?.restart ?? 'never', exit, record.restartTimes, now, host.restartOptions);
	if (decision.action === 'restart') {
		record.restartTimes = [...record.restartTimes.filter(ts => now - ts < host.restartOptions.window), now];
		record.restarts++;
		host.setState(record, 'restarting', {delay: decision.delay}, {pid: null});
		record.restartTimer = clock.setTimeout(() => {
			record.restartTimer = undefined;
			if (record.state === 'restarting') {
				host.start(record, {restart: {attempt: decision.attempt}}).catch((error: unknown) => {
					host.context.log.log('error', `restarting ${record.name} failed: ${errorText(error)}`);
				});
			}
		}, decision.delay);
		return;
	}

	if (options.unregister !== false && !record.permanent) {
		await updateRegistry(host.context.paths.registryFile, registry => {
			delete registry[record.name];
		});
	}

	if (decision.action === 'fail') {
		record.held = true;
		host.setState(record, 'failed', {reason: `crash loop: ${decision.restarts} restarts in ${host.restartOptions.window / 1000}s`}, {window: null, pid: null});
		host.context.emit({type: 'agent.escalated', agent: record.name, reason: 'crash-loop', restarts: decision.restarts});
		appendJournal(host.context.paths.journalDir, {title: `agent ${record.name} is in a crash loop`, body: `${decision.restarts} restarts in ${host.restartOptions.window / 1000}s: marked failed, not restarted until asked.`});
		return;
	}

	if (record.config) {
		host.setState(record, 'exited', exit.code === undefined ? {} : {code: exit.code}, {window: null, pid: null});
	} else if (record.permanent) {
		// CMUX's permanent worker: its entry stays, and it is reported missing until it is back.
		host.setState(record, 'missing', {permanent: true, reason: 'its window is gone; the permanent registry entry is kept'}, {window: null, pid: null});
	} else {
		host.forget(record);
	}
}
