import type {CommandModule} from 'yargs';
import {callApi} from './call.js';
import {printJson, type GlobalOptions} from './common.js';

export const beatCommand: CommandModule<GlobalOptions, GlobalOptions & {name: string}> = {
	command: 'beat <name>',
	describe: 'Record a heartbeat for an agent',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true, describe: 'Agent name'}),
	async handler(argv) {
		const result = await callApi(argv, 'beat', {name: argv.name});
		if (argv.json) {
			printJson(result);
		}
	},
};
