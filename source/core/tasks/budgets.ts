import type {ServiceContext} from '../orchestrator.js';
import type {TaskRow} from '../store/tasks.js';
import {moveTask, type TaskContext} from './book.js';
import {tellSupervisor} from './completion.js';

/** What a task has used of each budget, as a share (1 = all of it). */
export function budgetUse(task: TaskRow, limits: {maxNudges: number; maxRestarts: number}, now: number): Record<string, number> {
	const used: Record<string, number> = {
		nudges: task.nudges / limits.maxNudges,
		restarts: task.restarts / limits.maxRestarts,
	};
	if (task.budgetMs && task.startedAt) {
		used.time = (now - Date.parse(task.startedAt)) / task.budgetMs;
	}

	if (task.maxTurns) {
		used.turns = task.turns / task.maxTurns;
	}

	return used;
}

/**
 * Per-task budgets: wall-clock time since the task started, turns (Stop hooks of its agent), and
 * the nudges and restarts spent on it. At 80% a `task.budget` warning; at 100% `task.budget`
 * exceeded and the configured action (tell the supervisor, or move the task to blocked). Only
 * tasks in progress are counted: a done task is never touched by a budget.
 */
export class Budgets {
	constructor(private readonly tasks: TaskContext, private readonly context: ServiceContext) {}

	/** The agent ended a turn: it counts against its task in progress. */
	turn(agent: string): void {
		this.spent(agent, 'turns');
	}

	spent(agent: string, what: 'turns' | 'nudges' | 'restarts'): void {
		const task = this.tasks.store.tasks.ofAgent(agent).find(row => row.state === 'in_progress');
		if (task) {
			this.tasks.store.tasks.update(task.id, {[what]: task[what] + 1});
			this.check(this.tasks.store.tasks.get(task.id)!);
		}
	}

	/** Look at every task in progress (time passes without any event). */
	review(): void {
		for (const task of this.tasks.store.tasks.list('in_progress')) {
			this.check(task);
		}
	}

	private check(task: TaskRow): void {
		const used = budgetUse(task, this.context.config.tasks, this.tasks.now());
		const share = Math.max(0, ...Object.values(used));
		const level = share >= 1 ? 100 : share >= 0.8 ? 80 : 0;
		if (level <= task.budgetLevel) {
			return;
		}

		this.tasks.store.tasks.update(task.id, {budgetLevel: level});
		const worst = Object.entries(used).sort((a, b) => b[1] - a[1])[0]![0];
		const rounded = Object.fromEntries(Object.entries(used).map(([key, value]) => [key, Math.round(value * 100) / 100]));
		// Each level crossed is reported, so a check that finds a task already past 100% (a short budget
		// between two checks) still gives the 80% warning before the action.
		for (const crossed of [80, 100].filter(mark => mark > task.budgetLevel && mark <= level)) {
			this.context.emit({type: 'task.budget', task: task.id, level: crossed === 100 ? 'exceeded' : 'warning', ...(task.agent ? {agent: task.agent} : {}), used: rounded, budget: worst});
		}

		if (level < 100) {
			return;
		}

		const text = `task ${task.id} (${task.title}) of ${task.agent ?? 'nobody'} has used its ${worst} budget`;
		if (this.context.config.tasks.budgetAction === 'block') {
			moveTask(this.tasks, task, 'blocked', {note: `budget exceeded: ${worst}`, patch: {blockedOn: 'budget'}});
		}

		void tellSupervisor(this.tasks, `budget exceeded: task ${task.id}`, `${text}.${this.context.config.tasks.budgetAction === 'block' ? ' It is now blocked.' : ''} Decide: cmux-tui tasks reset ${task.id}, tasks fail ${task.id}, or let it run.`)
			.catch((error: unknown) => {
				this.context.log.log('warn', `telling the supervisor about task ${task.id}: ${String(error)}`);
			});
	}
}
