import type {CommandModule} from 'yargs';
import type {GlobalOptions} from './common.js';

/**
 * `cmux-tui hook` as yargs knows it (for --help). bin/cmux-tui runs the fast path in hook-main.ts
 * directly, before yargs loads; this handler runs it too when reached through yargs.
 */
export const hookCommand: CommandModule<GlobalOptions, GlobalOptions & {kind?: string; agent?: string}> = {
	command: 'hook [payload]',
	describe: "Called by an agent's own hooks: reads the hook JSON on stdin (or as the last argument), never fails the agent",
	builder: yargs => yargs
		.positional('payload', {type: 'string', describe: 'Hook JSON as an argument (Codex notify)'})
		.option('kind', {type: 'string', choices: ['claude', 'codex', 'gemini', 'generic'], describe: 'The agent program that calls (default $CMUX_AGENT_KIND)'})
		.option('agent', {type: 'string', describe: 'Agent name (default $CMUX_AGENT_NAME)'}),
	async handler() {
		await import('../hook-main.js');
	},
};
