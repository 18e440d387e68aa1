import type {CommandModule} from 'yargs';
import {StateError} from '../core/errors.js';
import {isKnownAgent, recordBeat} from '../core/heartbeat/beat.js';
import {openStore} from '../core/project.js';
import {projectFrom, type GlobalOptions} from './common.js';

export const beatCommand: CommandModule<GlobalOptions, GlobalOptions & {name: string}> = {
	command: 'beat <name>',
	describe: 'Record a heartbeat for an agent',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true, describe: 'Agent name'}),
	handler(argv) {
		const {config, paths} = projectFrom(argv);
		const store = openStore(paths);
		try {
			if (!isKnownAgent(store, config, argv.name)) {
				throw new StateError(`unknown agent ${argv.name} (not in the config and never registered)`);
			}

			recordBeat(store, argv.name);
		} finally {
			store.close();
		}
	},
};
