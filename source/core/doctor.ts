import fs from 'node:fs';
import {staleEntriesCheck} from './agents/check.js';
import {agentCommandsCheck} from './agents/command-check.js';
import net from 'node:net';
import {errorText} from './errors.js';
import type {Check, CheckResult} from './health/checks.js';
import {readPid, runningOrchestrator} from './pid-lock.js';
import {serverPortCheck} from './server/checks.js';
import {Store} from './store/store.js';
import {requireTmux} from './tmux/version.js';

const tmuxVersion: Check = async () => {
	try {
		const {text} = await requireTmux();
		return [{name: 'tmux version', ok: true, detail: `${text} (3.2 or newer needed)`}];
	} catch (error) {
		return [{name: 'tmux version', ok: false, detail: errorText(error)}];
	}
};

const permissions: Check = async ({paths}) => {
	const results: CheckResult[] = [];
	if (!fs.existsSync(paths.stateDir)) {
		return [{name: 'state folder', ok: true, warning: true, detail: `${paths.stateDir} does not exist yet (cmux-tui init creates it)`}];
	}

	const mode = fs.statSync(paths.stateDir).mode & 0o777;
	results.push({name: 'state folder', ok: (mode & 0o077) === 0, detail: `${paths.stateDir} is ${mode.toString(8)} (0700 expected)`});
	for (const file of [paths.configFile, paths.registryFile, paths.mailboxFile, paths.dbFile]) {
		if (fs.existsSync(file)) {
			const fileMode = fs.statSync(file).mode & 0o777;
			if ((fileMode & 0o077) !== 0) {
				// Inside a 0700 folder nobody else can reach it, so this is a warning, not a failure.
				results.push({name: 'state file', ok: false, warning: true, detail: `${file} is ${fileMode.toString(8)} (0600 expected; chmod 600 it)`});
			}
		}
	}

	return results;
};

const database: Check = async ({paths}) => {
	if (!fs.existsSync(paths.dbFile)) {
		return [{name: 'database', ok: true, warning: true, detail: `${paths.dbFile} does not exist yet`}];
	}

	try {
		const store = Store.open(paths.dbFile);
		try {
			const result = store.integrityCheck();
			return [{name: 'database', ok: result === 'ok', detail: `integrity_check: ${result}`}];
		} finally {
			store.close();
		}
	} catch (error) {
		return [{name: 'database', ok: false, detail: errorText(error)}];
	}
};

const locks: Check = async ({paths}) => {
	const results: CheckResult[] = [];
	const holder = readPid(paths.pidFile);
	if (holder !== undefined) {
		results.push(runningOrchestrator(paths.pidFile) === holder
			? {name: 'orchestrator lock', ok: true, detail: `held by running orchestrator pid ${holder}`}
			: {name: 'orchestrator lock', ok: false, warning: true, detail: `stale: pid ${holder} is gone (the next run takes it over)`});
	}

	for (const lock of [`${paths.mailboxFile}.lock`, `${paths.registryFile}.lock`]) {
		if (fs.existsSync(lock)) {
			const age = Date.now() - fs.statSync(lock).mtimeMs;
			results.push({name: 'file lock', ok: age < 10_000, warning: true, detail: `${lock} held for ${Math.round(age / 1000)}s${age >= 10_000 ? ' (stale; removed automatically by the next writer)' : ''}`});
		}
	}

	return results;
};

const healthPort: Check = async ({config, paths}) => {
	if (config.healthPort === 0) {
		return [{name: 'health port', ok: true, detail: 'off (healthPort is 0)'}];
	}

	const ours = runningOrchestrator(paths.pidFile) !== undefined;
	const free = await portIsFree(config.healthPort, config.healthHost);
	return [{
		name: 'health port',
		ok: free || ours,
		detail: free ? `${config.healthHost}:${config.healthPort} is free`
			: ours ? `${config.healthHost}:${config.healthPort} is served by the running orchestrator`
				: `${config.healthHost}:${config.healthPort} is taken by another program; set healthPort or CMUX_HEALTH_PORT`,
	}];
};

/** `cmux-tui doctor`: every diagnostic, in the order they are printed. Features add theirs here. */
export const doctorChecks: readonly Check[] = [tmuxVersion, permissions, database, locks, staleEntriesCheck, agentCommandsCheck, healthPort, serverPortCheck];

/** True when nothing listens on host:port. */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise(resolve => {
		const server = net.createServer();
		server.once('error', () => {
			resolve(false);
		});
		server.listen(port, host, () => {
			server.close(() => {
				resolve(true);
			});
		});
	});
}
