import process from 'node:process';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {agentsCommand} from './commands/agents.js';
import {beatCommand} from './commands/beat.js';
import {clean, withGlobalOptions} from './commands/common.js';
import {frontendCommand} from './commands/frontend.js';
import {hookCommand} from './commands/hook.js';
import {initCommand} from './commands/init.js';
import {recoverCommand} from './commands/recover.js';
import {checkCommand, doctorCommand, statusCommand} from './commands/reports.js';
import {runCommand} from './commands/run.js';
import {registerCommand, unregisterCommand} from './commands/register.js';
import {sendCommand} from './commands/send.js';
import {serverCommand} from './commands/server.js';
import {stopCommand} from './commands/stop.js';
import {tasksCommand} from './commands/tasks.js';
import {CmuxError, exitCodes} from './core/errors.js';
import {packageVersion} from './version.js';

const verbose = process.argv.includes('--verbose');

/** Print one error line (`cmux-tui: …`), with the stack only under --verbose, and set the exit code. */
function fail(error: unknown, exitCode?: number): void {
	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(`cmux-tui: ${clean(message)}\n`);
	if (verbose && error instanceof Error && error.stack) {
		process.stderr.write(`${error.stack}\n`);
	}

	process.exitCode = exitCode ?? (error instanceof CmuxError ? error.exitCode : exitCodes.failed);
}

const parser = withGlobalOptions(yargs(hideBin(process.argv)))
	.scriptName('cmux-tui')
	.usage('$0 [command]\n\nSupervise a team of terminal agents in tmux, with their dev server, frontend and mailbox.')
	.command(runCommand)
	.command(initCommand)
	.command(statusCommand)
	.command(checkCommand)
	.command(doctorCommand)
	.command(beatCommand)
	.command(sendCommand)
	.command(serverCommand)
	.command(frontendCommand)
	.command(agentsCommand)
	.command(registerCommand)
	.command(unregisterCommand)
	.command(stopCommand)
	.command(hookCommand)
	.command(recoverCommand)
	.command(tasksCommand)
	.strict()
	.version(packageVersion)
	.help()
	.alias('h', 'help')
	.wrap(Math.min(100, process.stdout.columns || 100))
	.fail((message, error) => {
		if (error) {
			throw error;
		}

		throw new CmuxError(`${message} (see cmux-tui --help)`, {exitCode: exitCodes.usage});
	});

try {
	await parser.parseAsync();
} catch (error) {
	fail(error);
}
