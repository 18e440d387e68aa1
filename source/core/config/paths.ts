import fs from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';

/** Every file and folder cmux-tui reads or writes for one project. */
export interface Paths {
	root: string;
	stateDir: string;
	configFile: string;
	registryFile: string;
	mailboxFile: string;
	dbFile: string;
	journalDir: string;
	logsDir: string;
	logFile: string;
	pidFile: string;
	/** The running orchestrator's control socket. */
	socketFile: string;
}

/** `--project DIR`, else the nearest ancestor of `cwd` holding `.cmux/`, else `cwd`. */
export function findProjectRoot(cwd: string, project?: string): string {
	if (project) {
		const root = path.resolve(cwd, project);
		// Never created: a typo in --project must not leave a new project (and a state folder) behind.
		if (!isDirectory(root)) {
			throw new UsageError(`--project ${project}: no such folder`);
		}

		return root;
	}

	for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
		if (isDirectory(path.join(dir, '.cmux'))) {
			return dir;
		}

		if (path.dirname(dir) === dir) {
			return path.resolve(cwd);
		}
	}
}

/** Resolve the state paths of a project; `mailbox` is the configured mailbox path, relative to the root. */
export function resolvePaths(root: string, mailbox = '.cmux/mailbox'): Paths {
	const stateDir = path.join(root, '.cmux');
	return {
		root,
		stateDir,
		configFile: path.join(stateDir, 'config.json'),
		registryFile: path.join(stateDir, 'agent_registry.json'),
		mailboxFile: path.resolve(root, mailbox),
		dbFile: path.join(stateDir, 'cmux.db'),
		journalDir: path.join(stateDir, 'journal'),
		logsDir: path.join(stateDir, 'logs'),
		logFile: path.join(stateDir, 'logs', 'cmux.log'),
		pidFile: path.join(stateDir, 'orchestrator.pid'),
		socketFile: path.join(stateDir, 'cmux.sock'),
	};
}

/** Create a private state folder (0700) if it is missing, and tighten it if it exists. */
export function ensurePrivateDir(dir: string): void {
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	fs.chmodSync(dir, 0o700);
}

function isDirectory(file: string): boolean {
	try {
		return fs.statSync(file).isDirectory();
	} catch {
		return false;
	}
}
