import type {CommandModule} from 'yargs';
import {registerAgent, unregisterAgent} from '../core/agents/direct.js';
import {withDirect} from './agents.js';
import {printJson, type GlobalOptions} from './common.js';

type NameOptions = GlobalOptions & {name: string};

export const registerCommand: CommandModule<GlobalOptions, NameOptions & {type?: string; window?: string}> = {
	command: 'register <name>',
	describe: 'Register an agent started by a script',
	builder: yargs => yargs
		.positional('name', {type: 'string', demandOption: true})
		.option('type', {type: 'string', choices: ['supervisor', 'worker'], describe: 'Agent type (default worker)'})
		.option('window', {type: 'string', describe: 'Its tmux window, session:window (default SESSION:NAME)'}),
	async handler(argv) {
		const entry = await withDirect(argv, async context => registerAgent(context, argv.name, {...(argv.type ? {type: argv.type} : {}), ...(argv.window ? {window: argv.window} : {})}));
		if (argv.json) {
			printJson(entry);
		}
	},
};

export const unregisterCommand: CommandModule<GlobalOptions, NameOptions> = {
	command: 'unregister <name>',
	describe: 'Remove an agent from the registry (its processes are left alone)',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true}),
	async handler(argv) {
		const existed = await withDirect(argv, async context => unregisterAgent(context, argv.name));
		if (argv.json) {
			printJson({agent: argv.name, removed: existed});
		}
	},
};
