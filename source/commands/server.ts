import type {CommandModule} from 'yargs';
import {UsageError} from '../core/errors.js';
import {openStore} from '../core/project.js';
import {ServerManager} from '../core/server/manager.js';
import type {Store} from '../core/store/store.js';
import {callApi} from './call.js';
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

		const result = argv.action === 'status' ? await status(new ServerManager({config: project.config.server, paths: project.paths, emit() {}}), project.paths)
			: await callApi(argv, `server.${argv.action}`, {}, project);
		if (argv.json) {
			printJson(result);
		} else {
			process.stdout.write(`${result.ok ? paint('ok', 'green') : paint('FAIL', 'red')} server ${result.text}\n`);
		}

		process.exitCode = result.ok ? 0 : 1;
	},
};

/** `server status`: reads only (the record, one probe, the stored state), so it never goes through the orchestrator. */
async function status(manager: ServerManager, paths: Parameters<typeof openStore>[0]): Promise<{ok: boolean; text: string; [key: string]: unknown}> {
	const store: Store = openStore(paths);
	try {
		const port = manager.config.port;
		const record = manager.current();
		if (!record) {
			return {ok: false, action: 'status', running: false, state: store.serviceState('server') ?? null, text: 'is not running'};
		}

		const probe = await manager.probe();
		const uptime = Math.round((Date.now() - Date.parse(record.startedAt)) / 1000);
		return {ok: probe.ok, action: 'status', running: true, ...record, uptimeSeconds: uptime, probe, state: store.serviceState('server') ?? null,
			text: `pid ${record.pid}${port === undefined ? '' : ` port ${port}`} up ${uptime}s, probe ${probe.ok ? `ok in ${probe.ms}ms` : `failed: ${probe.error}`}`};
	} finally {
		store.close();
	}
}
