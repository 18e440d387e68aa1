import type {Check} from '../health/checks.js';
import {ServerManager} from './manager.js';
import {isOurs, portHolders} from './port-owner.js';
import {readRecord} from './record.js';

/** `cmux-tui check`: the managed server is running and its health probe passes. */
export const serverCheck: Check = async ({config, paths}) => {
	if (!config.server) {
		return [{name: 'server', ok: true, detail: 'not configured'}];
	}

	const manager = new ServerManager({config: config.server, paths, emit() {}});
	const record = manager.current();
	if (!record) {
		return [{name: 'server', ok: false, detail: 'not running (start it with `cmux-tui server start` or `cmux-tui run`)'}];
	}

	const probe = await manager.probe();
	return [{name: 'server', ok: probe.ok, detail: probe.ok ? `pid ${record.pid} answers in ${probe.ms}ms` : `pid ${record.pid}: ${probe.error}`}];
};

/** `cmux-tui doctor`: server.port is free or held by our own server, never by a stranger. */
export const serverPortCheck: Check = async ({config, paths}) => {
	const port = config.server?.port;
	if (port === undefined) {
		return [{name: 'server port', ok: true, detail: config.server ? 'no server.port configured' : 'no server configured'}];
	}

	const holders = portHolders(port);
	const serverPid = readRecord(paths)?.pid;
	const stranger = holders.find(holder => !isOurs(paths.root, holder.pid, serverPid));
	if (stranger) {
		return [{name: 'server port', ok: false, detail: `port ${port} is held by pid ${stranger.pid} (${stranger.command}), not by cmux-tui; stop it or set server.port / CMUX_PORT`}];
	}

	return [{name: 'server port', ok: true, detail: holders.length > 0 ? `port ${port} is held by our server (pid ${holders.map(holder => holder.pid).join(', ')})` : `port ${port} is free`}];
};
