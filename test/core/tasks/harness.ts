import {execFileSync} from 'node:child_process';
import {AgentsService} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {MailboxService} from '../../../source/core/mailbox/service.js';
import {openProject} from '../../../source/core/project.js';
import {createOrchestrator, type RunningOrchestrator} from '../../../source/core/run.js';
import {SupervisionService} from '../../../source/core/supervision/service.js';
import {TasksService} from '../../../source/core/tasks/service.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

export {fakeAgent} from '../supervision/harness.js';

export interface TasksHarness {
	root: string;
	events: CmuxEvent[];
	running: RunningOrchestrator;
	tasks: TasksService;
	/** Wait for an event of `type` matching `match` (after index `from`). */
	event(type: string, match?: Record<string, unknown>, options?: {timeout?: number; from?: number}): Promise<CmuxEvent & Record<string, unknown>>;
	cleanup(): Promise<void>;
}

/** Make the project a git repository with one commit, so evidence can be gathered. */
export function gitInit(root: string): void {
	const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {cwd: root, stdio: 'ignore'});
	git('init', '-q');
	execFileSync('sh', ['-c', 'printf ".cmux/\\n.fake-*\\n" > .gitignore'], {cwd: root});
	git('add', '.gitignore');
	git('commit', '-q', '-m', 'init');
}

/** A git project with `agents` and an orchestrator running agents, mailbox, supervision and tasks. */
export async function startTasks(agents: Array<Record<string, unknown>>, config: Record<string, unknown> = {}): Promise<TasksHarness> {
	const tmux = privateTmux('tsk');
	const project = makeProject({session: 'cmux', tmuxSocket: tmux.socket, healthPort: 0, agents, ...config});
	gitInit(project.root);
	const events: CmuxEvent[] = [];
	const harness: TasksHarness = {
		root: project.root, events,
		running: undefined as unknown as RunningOrchestrator,
		tasks: undefined as unknown as TasksService,
		async event(type, match = {}, options = {}) {
			return waitFor(() => events.slice(options.from ?? 0).find(event => event.type === type
				&& Object.entries(match).every(([key, value]) => (event as Record<string, unknown>)[key] === value)), {
				timeout: options.timeout ?? 20_000,
				what: `${type} ${JSON.stringify(match)} (saw ${events.filter(event => event.type.startsWith('task.') || event.type === 'cycle.detected').map(event => JSON.stringify(event)).join(' ')})`,
			}) as Promise<CmuxEvent & Record<string, unknown>>;
		},
		async cleanup() {
			await harness.running.shutdown('test').catch(() => {});
			await tmux.kill();
			project.cleanup();
		},
	};
	harness.running = createOrchestrator(openProject({project: project.root, env: {}}), {
		log: process.env.TASKS_DEBUG ? {log: (level: string, text: string) => console.error(level, text)} as never : nullLogger,
		factories: [
			context => new AgentsService(context),
			context => new MailboxService(context),
			context => new SupervisionService(context),
			context => {
				harness.tasks = new TasksService(context);
				return harness.tasks;
			},
		],
	});
	harness.running.orchestrator.on('event', event => events.push(event));
	await harness.running.start();
	return harness;
}
