import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
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

const percent = (used: Record<string, number>) => Object.entries(used).map(([key, value]) => `${key} ${Math.round(value * 100)}%`).join(', ');

/**
 * Per-task budgets: wall-clock time since the task started, turns (Stop hooks of its agent), and
 * the nudges and restarts spent on it. SPEC's event list is fixed, so a crossed level is told with
 * what it has: at 80% a journal line and a mail to the supervisor; at 100% the configured action,
 * `escalate` (`agent.escalated` with `reason: task-budget`, plus the mail) or `block` (`task.state` →
 * blocked, plus the mail). Only tasks in progress are counted: a done task is never touched by a budget.
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
		const of = `task ${task.id} (${task.title}) of ${task.agent ?? 'nobody'}`;
		// Each level crossed is told, so a check that finds a task already past 100% (a short budget
		// between two checks) still gives the 80% warning before the action.
		if (task.budgetLevel < 80) {
			appendJournal(this.tasks.paths.journalDir, `budget warning: ${of} has used 80% of its ${worst} budget (${percent(used)})`);
			this.mail(task, `budget warning: task ${task.id}`, `${of} has used 80% of its ${worst} budget (${percent(used)}). At 100%: ${this.context.config.tasks.budgetAction}.`);
		}

		if (level < 100) {
			return;
		}

		const block = this.context.config.tasks.budgetAction === 'block';
		appendJournal(this.tasks.paths.journalDir, `budget exceeded: ${of} has used its ${worst} budget (${percent(used)}); ${block ? 'blocked' : 'escalated'}`);
		if (block) {
			moveTask(this.tasks, task, 'blocked', {note: `budget exceeded: ${worst}`, patch: {blockedOn: 'budget'}});
		} else if (task.agent) {
			const rounded = Object.fromEntries(Object.entries(used).map(([key, value]) => [key, Math.round(value * 100) / 100]));
			this.context.emit({type: 'agent.escalated', agent: task.agent, reason: 'task-budget', task: task.id, budget: worst, used: rounded});
		}

		this.mail(task, `budget exceeded: task ${task.id}`, `${of} has used its ${worst} budget (${percent(used)}).${block ? ' It is now blocked.' : ''} Decide: cmux-tui tasks reset ${task.id}, tasks fail ${task.id}, or let it run.`);
	}

	private mail(task: TaskRow, subject: string, body: string): void {
		void tellSupervisor(this.tasks, subject, body).catch((error: unknown) => {
			this.context.log.log('warn', `telling the supervisor about task ${task.id}: ${errorText(error)}`);
		});
	}
}
