import type {Argv, CommandModule} from 'yargs';
import type {TaskResult} from '../core/api.js';
import {parseDuration} from '../core/config/duration.js';
import {UsageError} from '../core/errors.js';
import {openStore} from '../core/project.js';
import {viewOf} from '../core/tasks/book.js';
import {isTaskState, taskStates} from '../core/tasks/machine.js';
import {callApi} from './call.js';
import {paint, printJson, projectFrom, type GlobalOptions} from './common.js';

type IdOptions = GlobalOptions & {id: string; note?: string};

function line(task: TaskResult): string {
	const color = task.state === 'done' ? 'green' : task.state === 'failed' || task.state === 'blocked' ? 'red' : task.state === 'review' ? 'yellow' : 'dim';
	return `${task.id.padEnd(6)}${paint(task.state.padEnd(12), color)}${(task.agent ?? '-').padEnd(16)}${task.title}${task.note ? paint(`  (${task.note})`, 'dim') : ''}\n`;
}

function print(argv: GlobalOptions, task: TaskResult): void {
	if (argv.json) {
		printJson(task);
	} else {
		process.stdout.write(line(task));
	}
}

function move(name: 'start' | 'done' | 'fail' | 'reset', describe: string): CommandModule<GlobalOptions, IdOptions> {
	return {
		command: `${name} <id>`,
		describe,
		builder: yargs => yargs.positional('id', {type: 'string', demandOption: true, describe: 'Task id (t1, t2, …)'}).option('note', {type: 'string', describe: 'Why (kept in the history)'}),
		async handler(argv) {
			print(argv, await callApi(argv, `tasks.${name}`, {id: argv.id, ...(argv.note === undefined ? {} : {note: argv.note})}));
		},
	};
}

type AddOptions = GlobalOptions & {title: string; to?: string; body?: string; depends?: string[]; verify?: string; budget?: string; turns?: number};

const add: CommandModule<GlobalOptions, AddOptions> = {
	command: 'add <title>',
	describe: 'Add a task; --to assigns it at once',
	builder: yargs => yargs.positional('title', {type: 'string', demandOption: true})
		.option('to', {type: 'string', describe: 'Agent to assign it to'})
		.option('body', {type: 'string', describe: 'What to do, in detail'})
		.option('depends', {type: 'string', array: true, describe: 'Task ids that must be done first'})
		.option('verify', {type: 'string', describe: 'Shell command that exits 0 when the work is right'})
		.option('budget', {type: 'string', describe: 'Wall-clock budget, like "30m"'})
		.option('turns', {type: 'number', describe: 'Budget of agent turns (Stop hooks)'}),
	async handler(argv) {
		const budget = argv.budget === undefined ? undefined : parseDuration(argv.budget);
		if (argv.budget !== undefined && budget === undefined) {
			throw new UsageError(`--budget: expected a duration like "30m", got ${JSON.stringify(argv.budget)}`);
		}

		print(argv, await callApi(argv, 'tasks.add', {
			title: argv.title, depends: argv.depends ?? [],
			...(argv.to ? {to: argv.to} : {}), ...(argv.body === undefined ? {} : {body: argv.body}), ...(argv.verify ? {verify: argv.verify} : {}),
			...(budget === undefined ? {} : {budget}), ...(argv.turns === undefined ? {} : {turns: argv.turns}),
		}));
	},
};

const list: CommandModule<GlobalOptions, GlobalOptions & {state?: string}> = {
	command: ['list', '$0'],
	describe: 'Tasks with their state and agent',
	builder: yargs => yargs.option('state', {type: 'string', describe: `Only tasks in this state (${taskStates.join(', ')})`}),
	handler(argv) {
		if (argv.state !== undefined && !isTaskState(argv.state)) {
			throw new UsageError(`--state: expected one of ${taskStates.join(', ')}, got ${JSON.stringify(argv.state)}`);
		}

		const store = openStore(projectFrom(argv).paths);
		try {
			const tasks = store.tasks.list(argv.state).map(task => viewOf(task));
			if (argv.json) {
				printJson(tasks);
			} else {
				process.stdout.write(tasks.length === 0 ? 'no tasks\n' : tasks.map(task => line(task)).join(''));
			}
		} finally {
			store.close();
		}
	},
};

const show: CommandModule<GlobalOptions, IdOptions> = {
	command: 'show <id>',
	describe: 'One task with its history',
	builder: yargs => yargs.positional('id', {type: 'string', demandOption: true}),
	handler(argv) {
		const store = openStore(projectFrom(argv).paths);
		try {
			const task = store.tasks.get(argv.id);
			if (!task) {
				throw new UsageError(`unknown task ${argv.id} (see \`cmux-tui tasks list\`)`);
			}

			const history = store.tasks.historyOf(task.id);
			if (argv.json) {
				printJson({...viewOf(task), history});
				return;
			}

			process.stdout.write(line(viewOf(task)));
			for (const [key, value] of Object.entries(viewOf(task))) {
				if (value !== null && !['id', 'title', 'state', 'agent', 'note'].includes(key) && !(Array.isArray(value) && value.length === 0)) {
					process.stdout.write(`  ${key}: ${Array.isArray(value) ? value.join(' ') : String(value)}\n`);
				}
			}

			process.stdout.write(history.map(event => `  ${String(event.ts)}  ${String(event.from)} -> ${String(event.to)}${event.note ? `  ${String(event.note)}` : ''}\n`).join(''));
		} finally {
			store.close();
		}
	},
};

const assign: CommandModule<GlobalOptions, IdOptions & {agent: string}> = {
	command: 'assign <id> <agent>',
	describe: 'Assign a task; the agent is told once it is free and the dependencies are done',
	builder: yargs => yargs.positional('id', {type: 'string', demandOption: true}).positional('agent', {type: 'string', demandOption: true}),
	async handler(argv) {
		print(argv, await callApi(argv, 'tasks.assign', {id: argv.id, agent: argv.agent}));
	},
};

const block: CommandModule<GlobalOptions, IdOptions & {on: string}> = {
	command: 'block <id>',
	describe: 'Mark a task blocked on an agent or another task',
	builder: yargs => yargs.positional('id', {type: 'string', demandOption: true})
		.option('on', {type: 'string', demandOption: true, describe: 'Agent name or task id it waits for'})
		.option('note', {type: 'string', describe: 'Why'}),
	async handler(argv) {
		print(argv, await callApi(argv, 'tasks.block', {id: argv.id, on: argv.on, ...(argv.note === undefined ? {} : {note: argv.note})}));
	},
};

export const tasksCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'tasks',
	describe: 'Tasks and their lifecycle: add, list, show, assign, start, done, fail, block, reset',
	builder: yargs => (yargs as Argv<GlobalOptions>).command(list).command(add).command(show).command(assign)
		.command(move('start', 'Mark a task in progress'))
		.command(move('done', 'Claim a task done: done when there is evidence (commits, changed files, verify), review otherwise'))
		.command(move('fail', 'Mark a task failed'))
		.command(block)
		.command(move('reset', 'Put a task back in the backlog')),
	handler() {},
};
