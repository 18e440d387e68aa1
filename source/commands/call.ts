import type {DirectContext} from '../core/agents/direct.js';
import type {CommandName, Params, Result} from '../core/api.js';
import {StoreError} from '../core/errors.js';
import {routeCommand} from '../control/route.js';
import {directApi} from '../core/direct-api.js';
import {openStore, type Project} from '../core/project.js';
import {Store} from '../core/store/store.js';
import {ExecTmuxClient} from '../core/tmux/exec-client.js';
import {clean, projectFrom, type GlobalOptions} from './common.js';

/**
 * Open what a one-shot command needs to act directly, run `action`, close the store. With
 * `storeOptional` (stopping things), a database that cannot be opened is reported in one line on
 * stderr and the command acts from the registry and the process cookies alone, on a scratch store.
 */
export async function withDirect<T>(project: Project, action: (context: DirectContext) => Promise<T>, options: {storeOptional?: boolean} = {}): Promise<T> {
	const store = options.storeOptional ? openStoreOrScratch(project.paths) : openStore(project.paths);
	try {
		return await action({project, store, tmux: new ExecTmuxClient(project.config.tmuxSocket)});
	} finally {
		store.close();
	}
}

/**
 * Run an API command for the CLI: through the running orchestrator's control socket, or directly
 * when none runs. Either way the result is the same object (`--json` prints it).
 */
export async function callApi<Name extends CommandName>(argv: GlobalOptions, name: Name, params: Params<Name>, project: Project = projectFrom(argv)): Promise<Result<Name>> {
	// Stopping must work while the store is broken: that is when it is needed most.
	const direct = async () => withDirect(project, async context => directApi(context).call(name, params), {storeOptional: name === 'agents.kill' || name === 'stopAll'});
	return await routeCommand(project.paths, name, params, direct) as Result<Name>;
}

function openStoreOrScratch(paths: Project['paths']): Store {
	try {
		return openStore(paths);
	} catch (error) {
		if (!(error instanceof StoreError)) {
			throw error;
		}

		process.stderr.write(`cmux-tui: ${clean(error.message)}; going on without it, from the registry and the process cookies\n`);
		return Store.open(':memory:');
	}
}
