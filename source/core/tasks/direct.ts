import type {DirectContext} from '../agents/direct.js';
import type {Handlers} from '../api.js';
import {offerNext, type TaskContext} from './book.js';
import {taskCommands} from './commands.js';

/** The task context of a one-shot command: the store directly, events stamped now. */
export function directTaskContext({project, store}: Pick<DirectContext, 'project' | 'store'>): TaskContext {
	return {config: project.config, paths: project.paths, store, emit: event => store.recordEvent(event), now: () => Date.now()};
}

/** The tasks commands without a running orchestrator: the next task is offered at once. */
export function taskDirectCommands(context: DirectContext): Handlers {
	const tasks = directTaskContext(context);
	return taskCommands(tasks, {
		async offer(agent) {
			await offerNext(tasks, agent);
		},
	}, context.tmux);
}
