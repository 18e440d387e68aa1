import type {CommandModule} from 'yargs';
import {UsageError} from '../core/errors.js';
import {checkFrontend} from '../core/frontend/check.js';
import {callApi} from './call.js';
import {paint, printJson, projectFrom, type GlobalOptions} from './common.js';

export const frontendCommand: CommandModule<GlobalOptions, GlobalOptions & {action: 'check' | 'rebuild'}> = {
	command: 'frontend <action>',
	describe: 'Frontend bundle: check | rebuild (atomic: the old dist stays until the new one is complete)',
	builder: yargs => yargs.positional('action', {choices: ['check', 'rebuild'] as const, demandOption: true}),
	async handler(argv) {
		const project = projectFrom(argv);
		const {config, root} = project;
		if (!config.frontend) {
			throw new UsageError('no frontend is configured: add a "frontend" object to .cmux/config.json');
		}

		if (argv.action === 'check') {
			const check = await checkFrontend(config.frontend, root);
			if (argv.json) {
				printJson(check);
			} else {
				process.stdout.write(check.ok ? `${paint('ok', 'green')} frontend bundle is complete\n` : check.problems.map(problem => `${paint('FAIL', 'red')} ${problem}\n`).join(''));
			}

			process.exitCode = check.ok ? 0 : 1;
			return;
		}

		const result = await callApi(argv, 'frontend.rebuild', {}, project);
		if (argv.json) {
			printJson(result);
		} else {
			process.stdout.write(result.ok ? `${paint('ok', 'green')} frontend rebuilt in ${result.ms}ms${result.installed ? ' (after install)' : ''}\n`
				: `${paint('FAIL', 'red')} ${result.reason}; the old dist is untouched\n${result.output.map(line => `  ${line}\n`).join('')}`);
		}

		process.exitCode = result.ok ? 0 : 1;
	},
};
