import type {Handlers, TaskResult} from '../api.js';
import {UsageError} from '../errors.js';
import type {TaskRow} from '../store/tasks.js';
import {findTask, moveTask, offerNext, stateOf, viewOf, type TaskContext} from './book.js';
import {judgeClaim} from './completion.js';
import {checkMove} from './machine.js';
import {writeHandoff} from './handoff.js';
import type {TmuxClient} from '../tmux/client.js';

/** What the commands ask of their host: the orchestrator offers through its queue, the CLI at once. */
export interface TaskHost {
	/** The agent may take its next task now (the orchestrator waits for it to be idle). */
	offer(agent: string): Promise<void>;
	/** Something changed that the wait-for graph depends on. */
	changed?(): void;
}

const result = (task: TaskRow): TaskResult => viewOf(task);

function known(context: TaskContext, agent: string): void {
	if (!context.config.agents.some(entry => entry.name === agent) && !context.store.agents.has(agent)) {
		throw new UsageError(`unknown agent ${agent} (not in the config and never registered)`);
	}
}

/** After a task finishes: its agent may take its next task, and tasks waiting for it may start. */
export async function offerAfter(context: TaskContext, host: TaskHost, task: TaskRow): Promise<void> {
	if (task.state !== 'done' && task.state !== 'failed') {
		return;
	}

	const agents = new Set<string>(task.agent ? [task.agent] : []);
	if (task.state === 'done') {
		for (const waiting of context.store.tasks.list('assigned')) {
			if (waiting.agent && waiting.depends.includes(task.id)) {
				agents.add(waiting.agent);
			}
		}
	}

	for (const agent of agents) {
		await host.offer(agent);
	}
}

/**
 * The tasks commands, one implementation for the running orchestrator and the direct CLI: they
 * differ only in `host` (how the next task is offered).
 */
export function taskCommands(context: TaskContext, host: TaskHost, tmux: TmuxClient): Handlers {
	const done = (task: TaskRow) => {
		host.changed?.();
		return result(task);
	};

	const assign = async (task: TaskRow, agent: string, note?: string) => {
		known(context, agent);
		const moved = moveTask(context, task, 'assigned', {patch: {agent, offeredAt: null, messageId: null}, ...(note ? {note} : {})});
		await host.offer(agent);
		return done(context.store.tasks.get(moved.id)!);
	};

	return {
		async 'tasks.add'({title, to, body, depends, verify, budget, turns}) {
			for (const id of depends) {
				findTask(context, id);
			}

			const task = context.store.tasks.add({
				title, state: 'backlog', depends, createdAt: new Date(context.now()).toISOString(),
				...(body ? {body} : {}), ...(verify ? {verify} : {}), ...(budget ? {budgetMs: budget} : {}), ...(turns ? {maxTurns: turns} : {}),
			});
			context.emit({type: 'task.state', task: task.id, from: 'new', to: 'backlog', note: title});
			return to ? assign(task, to) : done(task);
		},
		async 'tasks.assign'({id, agent}) {
			return assign(findTask(context, id), agent);
		},
		async 'tasks.start'({id, note}) {
			return done(moveTask(context, findTask(context, id), 'in_progress', {...(note ? {note} : {})}));
		},
		async 'tasks.done'({id, note}) {
			const task = findTask(context, id);
			const judged = await judgeClaim(context, {task: task.id, ok: true, method: 'command', by: 'user', ...(note ? {summary: note} : {})});
			await offerAfter(context, host, judged);
			return done(judged);
		},
		async 'tasks.fail'({id, note}) {
			const task = findTask(context, id);
			checkMove(task.id, stateOf(task), 'failed');
			const moved = moveTask(context, task, 'failed', {...(note ? {note} : {})});
			await offerAfter(context, host, moved);

			return done(moved);
		},
		async 'tasks.reset'({id, note}) {
			return done(moveTask(context, findTask(context, id), 'backlog', {...(note ? {note} : {})}));
		},
		async 'recover.handoff'({name}) {
			known(context, name);
			const file = await writeHandoff(context, tmux, name, 'command');
			return {agent: name, action: 'handoff', text: `wrote the hand-off of ${name} to ${file}`, file};
		},
		async 'tasks.block'({id, on, note}) {
			const task = findTask(context, id);
			if (/^t\d+$/.test(on)) {
				findTask(context, on);
			} else {
				known(context, on);
			}

			if (on === task.id || on === task.agent) {
				throw new UsageError(`task ${id} cannot be blocked on itself or its own agent`);
			}

			return done(moveTask(context, task, 'blocked', {patch: {blockedOn: on}, note: note ? `on ${on}: ${note}` : `on ${on}`}));
		},
	};
}
