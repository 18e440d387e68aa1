import {killAgent, registerAgent, spawnAgent, unregisterAgent, type DirectContext} from './agents/direct.js';
import {HandlerApi, type Handlers} from './api.js';
import {isoNow} from './clock.js';
import {StateError, UsageError} from './errors.js';
import {rebuildFrontend} from './frontend/rebuild.js';
import {beatAgent} from './heartbeat/beat.js';
import {appendMessage} from './mailbox/append.js';
import {policyOf} from './mailbox/targets.js';
import {supervisionDirectCommands} from './supervision/direct.js';
import {taskDirectCommands} from './tasks/direct.js';
import {directServerCommands} from './server/actions.js';
import {ServerManager} from './server/manager.js';

/**
 * The API without a running orchestrator: each command acts on tmux, the locked registry, the
 * mailbox file and the store itself, as the one-shot CLI always did. Commands only a running
 * orchestrator can do (attach, pane text) are not here.
 */
export function directApi(context: DirectContext): HandlerApi {
	const {project, store} = context;
	const server = () => {
		if (!project.config.server) {
			throw new UsageError('no server is configured: add a "server" object to .cmux/config.json');
		}

		return directServerCommands(new ServerManager({config: project.config.server, paths: project.paths, emit: event => store.recordEvent(event)}), store);
	};

	const handlers: Handlers = {
		'agents.spawn': async ({name, command, type}) => spawnAgent(context, name, {...(command ? {command} : {}), ...(type ? {type} : {})}),
		'agents.kill': async ({name, force}) => ({agent: name, ...await killAgent(context, name, {force})}),
		async 'agents.restart'({name, resume}) {
			// An agent that is not running is simply started; one whose tree survived the kill is not.
			const killed = await killAgent(context, name).catch((error: unknown) => {
				if (error instanceof StateError) {
					return undefined;
				}

				throw error;
			});
			if (killed && killed.survivors.length > 0) {
				throw new StateError(`agent ${name}: ${killed.survivors.length} process(es) survived the kill (pids ${killed.survivors.join(', ')}); not restarted`);
			}

			const started = await spawnAgent(context, name, resume ? {resume} : {});
			store.recordEvent({type: 'agent.restarted', agent: name, manual: true});
			return started;
		},
		register: async ({name, type, window}) => registerAgent(context, name, {...(type ? {type} : {}), ...(window ? {window} : {})}),
		unregister: async ({name}) => ({agent: name, removed: await unregisterAgent(context, name)}),
		'server.start': async () => server()['server.start']!({}),
		'server.stop': async () => server()['server.stop']!({}),
		'server.restart': async () => server()['server.restart']!({}),
		async 'frontend.rebuild'() {
			if (!project.config.frontend) {
				throw new UsageError('no frontend is configured: add a "frontend" object to .cmux/config.json');
			}

			const result = await rebuildFrontend(project.config.frontend, project.root);
			store.recordEvent(result.ok
				? {type: 'frontend.rebuilt', ms: result.ms, installed: result.installed}
				: {type: 'frontend.rebuild_failed', reason: result.reason, output: result.output, installed: result.installed});
			const previous = store.serviceState('frontend')?.detail ?? {};
			store.setServiceState('frontend', result.ok ? 'healthy' : 'degraded', {...previous, lastBuild: {ts: isoNow(), ok: result.ok, ms: result.ms}, ...(result.ok ? {reason: undefined} : {reason: `last rebuild failed: ${result.reason}`})});
			return result;
		},
		send: async message => appendMessage(project.paths.mailboxFile, {...message, from: message.from ?? 'user'}, {lockFile: project.config.mailbox.lockFile, policy: policyOf(project.config)}),
		beat: async ({name}) => beatAgent(store, project.config, name),
		...supervisionDirectCommands(context),
		...taskDirectCommands(context),
	};
	return new HandlerApi(handlers, name => `${name} needs a running orchestrator (start one with \`cmux-tui run\`)`);
}
