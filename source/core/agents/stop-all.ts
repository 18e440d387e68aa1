import {errorText, StateError, TmuxError} from '../errors.js';
import {stopOrchestrator} from '../pid-lock.js';
import {processesWithCookie, projectCookiePrefix} from '../process/cookie.js';
import {killTree} from '../process/kill-tree.js';
import {readRegistry} from '../registry/registry.js';
import {ServerManager} from '../server/manager.js';
import {killAgent, listAgents, type DirectContext} from './direct.js';

export interface StopAllResult {
	orchestrator?: number;
	/** The orchestrator did not exit within its grace after SIGTERM and needed SIGKILL. */
	orchestratorKilled?: boolean;
	agents: string[];
	leftovers: number;
	survivors: number;
	/** Agents that could not be stopped, with the reason (the command reports them and fails). */
	failed: Array<{target: string; error: string}>;
	/** With a configured server: nothing listens on its port any more. */
	serverPortFree?: boolean;
}

/**
 * `cmux-tui stop`: the orchestrator is asked to exit (SIGTERM), every agent's tree is killed with
 * escalation, then every remaining process carrying this project's cookie (the dev server, the
 * frontend build, anything they left) is killed, and the session is closed.
 */
export async function stopEverything(context: DirectContext): Promise<StopAllResult> {
	const {project, tmux} = context;
	const result: StopAllResult = {agents: [], leftovers: 0, survivors: 0, failed: []};
	const orchestrator = await stopOrchestrator(project.paths.pidFile);
	if (orchestrator) {
		result.orchestrator = orchestrator.pid;
		result.orchestratorKilled = orchestrator.killed;
		result.survivors += orchestrator.survived ? 1 : 0;
	}

	const registry = readRegistry(project.paths.registryFile).registry;
	const live = (await listAgents(context, {noServerIsEmpty: true})).filter(agent => agent.registered || agent.window !== null && agent.state !== 'stopped');
	await Promise.all(live.map(async agent => {
		try {
			const killed = await killAgent(context, agent.name);
			result.agents.push(agent.name);
			result.survivors += killed.survivors.length;
		} catch (error) {
			// Gone between the listing and the kill (its window closed by itself) is what stop wants.
			if (!(error instanceof StateError)) {
				result.failed.push({target: `agent ${agent.name}`, error: errorText(error)});
			}
		}
	}));
	if (project.config.server) {
		// Through the server's own stop: its port is verified free and its record forgotten.
		const stopped = await new ServerManager({config: project.config.server, paths: project.paths, emit: event => context.store.recordEvent(event)}).stop('stop');
		result.survivors += stopped.survivors.length;
		result.serverPortFree = stopped.portFree;
	}

	const prefix = projectCookiePrefix(project.root);
	const cookies = new Set(processesWithCookie(cookie => cookie.startsWith(prefix)).map(row => row.cookie));
	for (const entry of Object.values(registry)) {
		if (entry.cookie) {
			cookies.delete(entry.cookie);
		}
	}

	for (const cookie of cookies) {
		const killed = await killTree({roots: [], cookie, grace: 5000});
		result.leftovers += killed.targets.length;
		result.survivors += killed.survivors.length;
	}

	await tmux.run(['kill-session', '-t', `=${project.config.session}`]).catch((error: unknown) => {
		// No session or no server left: nothing more to stop. Anything else is reported.
		if (!(error instanceof TmuxError && (error.reason === 'not-found' || error.reason === 'unreachable'))) {
			result.failed.push({target: `session ${project.config.session}`, error: errorText(error)});
		}
	});
	return result;
}
