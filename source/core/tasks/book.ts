import crypto from 'node:crypto';
import path from 'node:path';
import type {Config} from '../config/schema.js';
import type {Paths} from '../config/paths.js';
import {StateError, UsageError} from '../errors.js';
import type {EventInput} from '../events.js';
import {appendMessage} from '../mailbox/append.js';
import type {Store} from '../store/store.js';
import type {TaskPatch, TaskRow} from '../store/tasks.js';
import {headCommit} from './evidence.js';
import {checkMove, isTaskState, type TaskState} from './machine.js';

/** What task operations need: the orchestrator's context or a one-shot command's. */
export interface TaskContext {
	config: Config;
	paths: Paths;
	store: Store;
	emit(event: EventInput): void;
	now(): number;
}

/** The task as the API returns it (`--json` prints it). */
export type TaskView = Omit<TaskRow, 'seq'>;

export function viewOf(task: TaskRow): TaskView {
	const {seq: _seq, ...view} = task;
	return view;
}

export function stateOf(task: TaskRow): TaskState {
	if (!isTaskState(task.state)) {
		throw new StateError(`task ${task.id} has an unknown state ${JSON.stringify(task.state)} in the store`);
	}

	return task.state;
}

/** The task `id`, or a usage error naming it. */
export function findTask(context: TaskContext, id: string): TaskRow {
	const task = context.store.tasks.get(id);
	if (!task) {
		throw new UsageError(`unknown task ${id} (see \`cmux-tui tasks list\`)`);
	}

	return task;
}

/** The directory an agent works in: its configured cwd, else the project root. */
export function workDir(context: TaskContext, agent: string | null): string {
	const cwd = context.config.agents.find(entry => entry.name === agent)?.cwd;
	return cwd ? path.resolve(context.paths.root, cwd) : context.paths.root;
}

/**
 * Move a task through the one state machine (an illegal move throws, exit 2), store it, and keep
 * the move as history: a `task.state` event with `task`, `from`, `to`, `agent`, `note`.
 */
export function moveTask(context: TaskContext, task: TaskRow, to: TaskState, options: {note?: string; patch?: TaskPatch} = {}): TaskRow {
	const from = stateOf(task);
	checkMove(task.id, from, to);
	const now = new Date(context.now()).toISOString();
	const patch: TaskPatch = {state: to, updatedAt: now, note: options.note ?? null, ...options.patch};
	if (to === 'in_progress' && !task.startedAt) {
		patch.startedAt = now;
	}

	if (to === 'done' || to === 'failed') {
		patch.finishedAt = now;
	}

	if (to === 'backlog') {
		Object.assign(patch, {offeredAt: null, messageId: null, startedAt: null, finishedAt: null, blockedOn: null, budgetLevel: 0, turns: 0, nudges: 0, restarts: 0});
	}

	if (from === 'blocked' && to !== 'blocked') {
		patch.blockedOn = null;
	}

	context.store.tasks.update(task.id, patch);
	const agent = patch.agent === undefined ? task.agent : patch.agent;
	context.emit({type: 'task.state', task: task.id, from, to, ...(agent ? {agent} : {}), ...(options.note ? {note: options.note} : {})});
	return context.store.tasks.get(task.id)!;
}

/** Whether every task `task` depends on is done. */
export function dependenciesDone(context: TaskContext, task: TaskRow): boolean {
	return task.depends.every(id => context.store.tasks.get(id)?.state === 'done');
}

/** The agent's task it is working on now: in progress, or offered and not yet started. */
export function currentTask(context: TaskContext, agent: string): TaskRow | undefined {
	return context.store.tasks.ofAgent(agent).find(task => task.state === 'in_progress' || (task.state === 'assigned' && task.offeredAt !== null));
}

/** The text an agent receives with a task: what to do and how to report back. */
export function assignmentBody(task: TaskRow): string {
	return [
		...(task.body ? [task.body, ''] : []),
		`When it is finished, print a line "CMUX-DONE ${task.id} ok <summary>" (or "CMUX-DONE ${task.id} fail <why>"),`,
		`or run: cmux-tui tasks done ${task.id}`,
		...(task.verify ? [`It is checked with: ${task.verify}`] : []),
	].join('\n');
}

/**
 * Offer the agent the next task of its queue: only when it holds no task now, and only a task whose
 * dependencies are done. The message goes through the mailbox like `send` (delivered once the
 * agent's prompt is idle); its id is kept so a `status_update` for it moves the task.
 */
export async function offerNext(context: TaskContext, agent: string): Promise<TaskRow | undefined> {
	const queue = context.store.tasks.ofAgent(agent);
	if (queue.some(task => task.state === 'in_progress' || (task.state === 'assigned' && task.offeredAt !== null))) {
		return undefined;
	}

	const next = queue.find(task => task.state === 'assigned' && task.offeredAt === null && dependenciesDone(context, task));
	if (!next) {
		return undefined;
	}

	const id = crypto.randomUUID();
	const base = await headCommit(workDir(context, agent));
	const offeredAt = new Date(context.now()).toISOString();
	context.store.tasks.update(next.id, {offeredAt, messageId: id, baseCommit: base ?? null, updatedAt: offeredAt});
	await appendMessage(context.paths.mailboxFile, {id, from: 'cmux-tui', to: agent, subject: `task ${next.id}: ${next.title}`, body: assignmentBody(next)});
	return context.store.tasks.get(next.id);
}
