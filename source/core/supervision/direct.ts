import type {Handlers} from '../api.js';
import {killAgent, spawnAgent, type DirectContext} from '../agents/direct.js';
import {StateError} from '../errors.js';
import {deleteActivity} from './activity-store.js';
import {supervisionCommands} from './commands.js';

/** The supervision commands without a running orchestrator: tmux and the store, directly. */
export function supervisionDirectCommands(context: DirectContext): Handlers {
	const {project, store, tmux} = context;
	return supervisionCommands({config: project.config, paths: project.paths, store, tmux, emit: event => store.recordEvent(event)}, {
		async restart(name, resume) {
			await killAgent(context, name).catch((error: unknown) => {
				if (!(error instanceof StateError)) {
					throw error;
				}
			});
			await spawnAgent(context, name, resume ? {resume} : {});
			store.recordEvent({type: 'agent.restarted', agent: name, manual: true});
		},
		kill: async name => killAgent(context, name, {force: true}),
		reset(name) {
			deleteActivity(store, name);
		},
	});
}
