import type {CommandModule} from 'yargs';
import type {Params} from '../core/api.js';
import {callApi} from './call.js';
import {printJson, type GlobalOptions} from './common.js';

type AgentType = Params<'register'>['type'];
type NameOptions = GlobalOptions & {name: string};

export const registerCommand: CommandModule<GlobalOptions, NameOptions & {type?: string; window?: string}> = {
	command: 'register <name>',
	describe: 'Register an agent started by a script',
	builder: yargs => yargs
		.positional('name', {type: 'string', demandOption: true})
		.option('type', {type: 'string', choices: ['supervisor', 'worker'], describe: 'Agent type (default worker)'})
		.option('window', {type: 'string', describe: 'Its tmux window, session:window (default SESSION:NAME)'}),
	async handler(argv) {
		const entry = await callApi(argv, 'register', {name: argv.name, ...(argv.type ? {type: argv.type as AgentType} : {}), ...(argv.window ? {window: argv.window} : {})});
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
		const result = await callApi(argv, 'unregister', {name: argv.name});
		if (argv.json) {
			printJson(result);
		}
	},
};
