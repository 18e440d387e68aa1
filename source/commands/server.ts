import type {CommandModule} from 'yargs';
import {UsageError} from '../core/errors.js';
import {openStore} from '../core/project.js';
import {ServerManager} from '../core/server/manager.js';
import type {Store} from '../core/store/store.js';
import {paint, printJson, projectFrom, type GlobalOptions} from './common.js';

type Action = 'start' | 'stop' | 'restart' | 'status';

export const serverCommand: CommandModule<GlobalOptions, GlobalOptions & {action: Action}> = {
	command: 'server <action>',
	describe: 'The managed dev server: start | stop | restart | status',
	builder: yargs => yargs.positional('action', {choices: ['start', 'stop', 'restart', 'status'] as const, demandOption: true}),
	async handler(argv) {
		const project = projectFrom(argv);
		if (!project.config.server) {
			throw new UsageError('no server is configured: add a "server" object to .cmux/config.json');
		}

		const store = openStore(project.paths);
		try {
			const manager = new ServerManager({config: project.config.server, paths: project.paths, emit: event => store.recordEvent(event)});
			const result = await act(argv.action, manager, store);
			if (argv.json) {
				printJson(result);
			} else {
				process.stdout.write(`${result.ok ? paint('ok', 'green') : paint('FAIL', 'red')} server ${result.text}\n`);
			}

			process.exitCode = result.ok ? 0 : 1;
		} finally {
			store.close();
		}
	},
};

async function act(action: Action, manager: ServerManager, store: Store): Promise<{ok: boolean; text: string; [key: string]: unknown}> {
	const port = manager.config.port;
	if (action === 'stop' || action === 'restart') {
		const stopped = await manager.stop('requested');
		store.setServiceState('server', 'off', {reason: 'stopped from the command line', ...(port === undefined ? {} : {port})});
		if (action === 'stop') {
			const ok = stopped.survivors.length === 0 && stopped.portFree;
			const strangers = stopped.strangers.map(holder => `pid ${holder.pid} (${holder.command})`).join(', ');
			return {ok, action, ...stopped, text: ok ? `stopped (${stopped.targets.length} process(es), ${stopped.ms}ms)`
				: stopped.survivors.length > 0 ? `left survivors: ${stopped.survivors.join(', ')}` : `port ${port} is still held by ${strangers || 'another process'}`};
		}
	}

	if (action === 'start' || action === 'restart') {
		const {record, adopted} = await manager.start();
		store.setServiceState('server', 'healthy', {pid: record.pid, startedAt: record.startedAt, restarts: 0, logFile: record.logFile, ...(port === undefined ? {} : {port})});
		return {ok: true, action, adopted, ...record, text: `${adopted ? 'already running' : 'started'}: pid ${record.pid}${port === undefined ? '' : ` on port ${port}`} (log: ${record.logFile})`};
	}

	const record = manager.current();
	if (!record) {
		return {ok: false, action, running: false, state: store.serviceState('server') ?? null, text: 'is not running'};
	}

	const probe = await manager.probe();
	const uptime = Math.round((Date.now() - Date.parse(record.startedAt)) / 1000);
	return {ok: probe.ok, action, running: true, ...record, uptimeSeconds: uptime, probe, state: store.serviceState('server') ?? null,
		text: `pid ${record.pid}${port === undefined ? '' : ` port ${port}`} up ${uptime}s, probe ${probe.ok ? `ok in ${probe.ms}ms` : `failed: ${probe.error}`}`};
}

