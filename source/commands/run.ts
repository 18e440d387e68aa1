import type {CommandModule} from 'yargs';
import {exitCodes} from '../core/errors.js';
import {createOrchestrator} from '../core/run.js';
import {printEvents} from '../headless/headless.js';
import {projectFrom, type GlobalOptions} from './common.js';

type RunOptions = GlobalOptions & {ui: boolean};

export const runCommand: CommandModule<GlobalOptions, RunOptions> = {
	command: ['run', '$0'],
	describe: 'Start the orchestrator (TUI on a terminal; --no-ui headless; --json events as NDJSON)',
	builder: yargs => yargs.option('ui', {type: 'boolean', default: true, describe: 'Show the TUI (--no-ui runs headless)'}),
	async handler(argv) {
		const project = projectFrom(argv);
		const running = createOrchestrator(project);
		const interactive = argv.ui && !argv.json && Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
		const stopPrinting = interactive ? () => undefined : printEvents(running.orchestrator, {json: Boolean(argv.json)});

		const stopped = new Promise<number>(resolve => {
			// Kept registered (not `once`) for the whole run: execa's cleanup (signal-exit, loaded with a
			// long-lived helper such as the mailbox flock) re-raises a signal it believes no one else
			// handles, which would kill the process in the middle of its shutdown. A second signal
			// during the shutdown changes nothing: `shutdown` is idempotent.
			const onSignal = (signal: NodeJS.Signals) => {
				void running.shutdown(signal).then(() => {
					resolve(exitCodes.interrupted);
				});
			};

			process.on('SIGINT', onSignal);
			process.on('SIGTERM', onSignal);
			process.on('SIGHUP', onSignal);
			if (!interactive) {
				// The reader of a headless run went away (`… | head -1`): stop as if asked to.
				process.stdout.once('error', () => {
					stopPrinting();
					void running.shutdown('stdout-closed').then(() => {
						resolve(exitCodes.ok);
					});
				});
			}
		});

		await running.start();
		if (interactive) {
			// Loaded only here, so headless runs never load React or Ink.
			const {runUi} = await import('../ui/run-ui.js');
			const quit = await Promise.race([runUi(running.orchestrator), stopped.then(() => undefined)]);
			if (quit === undefined) {
				process.exitCode = exitCodes.interrupted;
				return;
			}

			if (quit === 'stop-all') {
				await running.orchestrator.api.call('stopAll', {});
			}

			await running.shutdown('quit');
			process.exitCode = exitCodes.ok;
			return;
		}

		process.exitCode = await stopped;
	},
};
