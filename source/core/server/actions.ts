import type {ServerActionResult} from '../api.js';
import type {Handlers} from '../api.js';
import type {Store} from '../store/store.js';
import type {ServerManager} from './manager.js';
import type {ServerRecord} from './record.js';
import type {StopResult} from './stop.js';

/** What `server stop` reports: ok only when nothing survived and the port is free. */
export function stopReport(stopped: StopResult, port: number | undefined): ServerActionResult {
	const ok = stopped.survivors.length === 0 && stopped.portFree;
	const strangers = stopped.strangers.map(holder => `pid ${holder.pid} (${holder.command})`).join(', ');
	return {ok, action: 'stop', ...stopped, text: ok ? `stopped (${stopped.targets.length} process(es), ${stopped.ms}ms)`
		: stopped.survivors.length > 0 ? `left survivors: ${stopped.survivors.join(', ')}` : `port ${port} is still held by ${strangers || 'another process'}`};
}

/** What `server start|restart` report once the server is up. */
export function startReport(action: 'start' | 'restart', started: {record: ServerRecord; adopted: boolean}, port: number | undefined): ServerActionResult {
	const {record, adopted} = started;
	return {ok: true, action, adopted, ...record, text: `${adopted ? 'already running' : 'started'}: pid ${record.pid}${port === undefined ? '' : ` on port ${port}`} (log: ${record.logFile})`};
}

/**
 * `server start|stop|restart` without an orchestrator: the manager acts, the store records the
 * outcome for `status` and the next orchestrator.
 */
export function directServerCommands(manager: ServerManager, store: Store): Handlers {
	const port = manager.config.port;
	const stop = async () => {
		const stopped = await manager.stop('requested');
		store.setServiceState('server', 'off', {reason: 'stopped from the command line', ...(port === undefined ? {} : {port})});
		return stopped;
	};

	const start = async (action: 'start' | 'restart') => {
		const started = await manager.start();
		store.setServiceState('server', 'healthy', {pid: started.record.pid, startedAt: started.record.startedAt, restarts: 0, logFile: started.record.logFile, ...(port === undefined ? {} : {port})});
		return startReport(action, started, port);
	};

	return {
		'server.stop': async () => stopReport(await stop(), port),
		'server.start': async () => start('start'),
		async 'server.restart'() {
			await stop();
			return start('restart');
		},
	};
}
