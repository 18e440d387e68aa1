import type {Store} from '../../core/store/store.js';
import {budgetUse} from '../../core/tasks/budgets.js';
import type {StandingCycle} from '../../core/tasks/cycles.js';

/** One task as the tasks strip shows it. */
export interface TaskLine {
	id: string;
	state: string;
	agent: string;
	title: string;
	/** ms since it started (or was created, before it started). */
	ageMs: number;
	/** The most used of its budgets, as a share (1 = all). */
	budget: number;
}

/** Open tasks first (in progress, blocked, review, assigned), at most `limit`; and the cycles that stand. */
export function readTasks(store: Store, now: number, limit = 6): {tasks: TaskLine[]; cycles: StandingCycle[]} {
	const order = ['in_progress', 'blocked', 'review', 'assigned', 'backlog', 'failed', 'done'];
	const rows = store.tasks.list().sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || a.seq - b.seq);
	const tasks = rows.slice(0, limit).map(task => ({
		id: task.id, state: task.state, agent: task.agent ?? '-', title: task.title,
		ageMs: now - Date.parse(task.startedAt ?? task.createdAt),
		// Default limits as the config's; the strip is a glance, the exact figure is in `tasks show`.
		budget: Math.max(0, ...Object.values(budgetUse(task, {maxNudges: 5, maxRestarts: 3}, now))),
	}));
	const detail = store.serviceState('tasks')?.detail as {cycles?: StandingCycle[]} | undefined;
	return {tasks, cycles: detail?.cycles ?? []};
}
