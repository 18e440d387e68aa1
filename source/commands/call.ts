import type {DirectContext} from '../core/agents/direct.js';
import type {CommandName, Params, Result} from '../core/api.js';
import {routeCommand} from '../control/route.js';
import {directApi} from '../core/direct-api.js';
import {openStore, type Project} from '../core/project.js';
import {ExecTmuxClient} from '../core/tmux/exec-client.js';
import {projectFrom, type GlobalOptions} from './common.js';

/** Open what a one-shot command needs to act directly, run `action`, close the store. */
export async function withDirect<T>(project: Project, action: (context: DirectContext) => Promise<T>): Promise<T> {
	const store = openStore(project.paths);
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
	const direct = async () => withDirect(project, async context => directApi(context).call(name, params));
	return await routeCommand(project.paths, name, params, direct) as Result<Name>;
}
