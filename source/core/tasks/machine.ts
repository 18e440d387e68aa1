import {UsageError} from '../errors.js';

/** Task states (SPEC "Task states"). */
export const taskStates = ['backlog', 'assigned', 'in_progress', 'review', 'done', 'blocked', 'failed'] as const;
export type TaskState = typeof taskStates[number];

/**
 * The one table of legal task transitions. `done` is final: nothing (no timeout, no budget, no
 * later claim) ever moves a finished task again.
 */
const allowed: Readonly<Record<TaskState, readonly TaskState[]>> = {
	backlog: ['assigned', 'blocked', 'failed'],
	assigned: ['in_progress', 'backlog', 'blocked', 'failed'],
	in_progress: ['review', 'done', 'blocked', 'failed', 'backlog'],
	review: ['done', 'in_progress', 'failed', 'backlog'],
	blocked: ['assigned', 'in_progress', 'backlog', 'failed'],
	failed: ['backlog', 'assigned'],
	done: [],
};

/** Where a task may go from `from`. */
export function nextStates(from: TaskState): readonly TaskState[] {
	return allowed[from];
}

export function isTaskState(value: string): value is TaskState {
	return (taskStates as readonly string[]).includes(value);
}

/** Whether `from → to` is legal. */
export function canMove(from: TaskState, to: TaskState): boolean {
	return allowed[from].includes(to);
}

/**
 * Check `from → to`; an illegal move is a usage error (exit 2) naming the current state and the
 * allowed ones.
 */
export function checkMove(task: string, from: TaskState, to: TaskState): void {
	if (!canMove(from, to)) {
		const next = allowed[from];
		throw new UsageError(`task ${task} is ${from}: it cannot move to ${to} (allowed from ${from}: ${next.length > 0 ? next.join(', ') : 'none, it is final'})`);
	}
}

/** States in which a task holds its agent's attention (at most one offered task per agent). */
export const activeStates: readonly TaskState[] = ['in_progress', 'review', 'blocked'];
