import type {CommandModule} from 'yargs';
import {stopEverything} from '../core/agents/stop-all.js';
import {withDirect} from './call.js';
import {printJson, projectFrom, type GlobalOptions} from './common.js';

export const stopCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'stop',
	describe: 'Stop everything this project started (orchestrator, server, agents, session)',
	async handler(argv) {
		const result = await withDirect(projectFrom(argv), stopEverything, {storeOptional: true});
		if (argv.json) {
			printJson(result);
		} else {
			process.stdout.write(`stopped${result.orchestrator ? ` orchestrator ${result.orchestrator}${result.orchestratorKilled ? ' (SIGKILL after its grace)' : ''},` : ''} ${result.agents.length} agent(s), ${result.leftovers} other process(es)${result.survivors > 0 ? `; ${result.survivors} survived` : ''}${result.serverPortFree === false ? '; the server port is still held' : ''}\n`);
		}

		for (const failure of result.failed) {
			process.stderr.write(`cmux-tui: cannot stop ${failure.target}: ${failure.error}\n`);
		}

		process.exitCode = result.failed.length > 0 || result.survivors > 0 || result.serverPortFree === false ? 1 : 0;
	},
};
