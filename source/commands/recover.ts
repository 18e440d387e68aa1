import type {Argv, CommandModule} from 'yargs';
import type {CommandName, RecoverResult} from '../core/api.js';
import {openStore} from '../core/project.js';
import {recoverList, type RecoverEntry} from '../core/supervision/recover-list.js';
import {callApi} from './call.js';
import {paint, printJson, projectFrom, type GlobalOptions} from './common.js';

type NameOptions = GlobalOptions & {name: string};

function action(name: 'nudge' | 'interrupt' | 'approve' | 'deny' | 'reset' | 'kill-zombie' | 'handoff', describe: string): CommandModule<GlobalOptions, NameOptions> {
	return {
		command: `${name} <name>`,
		describe,
		builder: yargs => yargs.positional('name', {type: 'string', demandOption: true, describe: 'Agent name'}),
		async handler(argv) {
			print(argv, await callApi(argv, `recover.${name}` as CommandName, {name: argv.name}) as RecoverResult);
		},
	};
}

function print(argv: GlobalOptions, result: RecoverResult): void {
	if (argv.json) {
		printJson(result);
	} else {
		process.stdout.write(`${result.text}\n`);
	}
}

const list: CommandModule<GlobalOptions, GlobalOptions> = {
	command: ['list', '$0'],
	describe: 'Stalled, waiting, escalated and zombie agents and dead letters, each with why and since',
	handler(argv) {
		const project = projectFrom(argv);
		const store = openStore(project.paths);
		let entries: RecoverEntry[];
		try {
			entries = recoverList(store);
		} finally {
			store.close();
		}

		if (argv.json) {
			printJson(entries);
			return;
		}

		process.stdout.write(entries.length === 0 ? 'nothing to recover\n' : entries.map(entry =>
			`${entry.kind.padEnd(12)}${entry.name.padEnd(20)}${paint(entry.why, 'yellow')}  since ${entry.since}\n`).join(''));
	},
};

const restart: CommandModule<GlobalOptions, NameOptions & {resume?: boolean}> = {
	command: 'restart <name>',
	describe: 'Restart an agent; --resume resumes the session id its hooks reported (Claude Code)',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true}).option('resume', {type: 'boolean', describe: 'Resume the reported session'}),
	async handler(argv) {
		print(argv, await callApi(argv, 'recover.restart', {name: argv.name, resume: Boolean(argv.resume)}));
	},
};

export const recoverCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'recover',
	describe: 'Recovery tools: list, nudge, interrupt, approve, deny, restart, reset, kill-zombie, handoff',
	builder: yargs => (yargs as Argv<GlobalOptions>).command(list)
		.command(action('nudge', 'Nudge an agent now (only into an idle prompt)'))
		.command(action('interrupt', 'Interrupt what an agent is doing (Esc; Ctrl-C for a generic agent)'))
		.command(action('approve', 'Approve the pending tool call, with the keys its kind expects'))
		.command(action('deny', 'Deny the pending tool call, with the keys its kind expects'))
		.command(restart)
		.command(action('reset', 'Forget an agent\'s nudges, escalations and circuit breaker'))
		.command(action('kill-zombie', 'Kill what is left of an agent whose pane is dead or whose program is gone'))
		.command(action('handoff', 'Write a compaction hand-off (pane, git state, task, pending mail) to the journal')),
	handler() {},
};
