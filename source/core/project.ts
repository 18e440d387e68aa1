import {loadConfig} from './config/load.js';
import {ensurePrivateDir, findProjectRoot, resolvePaths, type Paths} from './config/paths.js';
import type {Config} from './config/schema.js';
import {Store} from './store/store.js';

/** A project: its root, its validated configuration and its state paths. */
export interface Project {
	root: string;
	config: Config;
	paths: Paths;
}

/** Find the project root, load and validate its configuration (throws ConfigError). */
export function openProject(options: {cwd?: string; project?: string; env?: NodeJS.ProcessEnv} = {}): Project {
	const root = findProjectRoot(options.cwd ?? process.cwd(), options.project);
	const config = loadConfig(resolvePaths(root).configFile, options.env ?? process.env);
	return {root, config, paths: resolvePaths(root, config.mailbox.path)};
}

/** Create `.cmux/` and its folders with private permissions. */
export function prepareStateDir(paths: Paths): void {
	ensurePrivateDir(paths.stateDir);
	ensurePrivateDir(paths.logsDir);
	ensurePrivateDir(paths.journalDir);
}

/** Open the project's store, creating `.cmux/` when needed. */
export function openStore(paths: Paths): Store {
	prepareStateDir(paths);
	return Store.open(paths.dbFile);
}
