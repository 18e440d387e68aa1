import fs from 'node:fs';
import type {CommandModule} from 'yargs';
import {UsageError} from '../core/errors.js';
import {callApi} from './call.js';
import {printJson, type GlobalOptions} from './common.js';

type SendOptions = GlobalOptions & {to: string; subject: string; body?: string; bodyFile?: string; from?: string};

export const sendCommand: CommandModule<GlobalOptions, SendOptions> = {
	command: 'send <to> <subject>',
	describe: 'Append a message to the mailbox',
	builder: yargs => yargs
		.positional('to', {type: 'string', demandOption: true, describe: 'Agent name, session:window, or user'})
		.positional('subject', {type: 'string', demandOption: true})
		.option('body', {type: 'string', describe: 'Message text'})
		.option('body-file', {type: 'string', describe: 'Read the body from this file (- for stdin)'})
		.option('from', {type: 'string', describe: 'Sender (default: $CMUX_AGENT_NAME, else user)'})
		.conflicts('body', 'body-file'),
	async handler(argv) {
		const body = argv.bodyFile === undefined ? argv.body : readBody(argv.bodyFile);
		const record = await callApi(argv, 'send', {
			from: argv.from ?? process.env.CMUX_AGENT_NAME ?? 'user',
			to: argv.to,
			subject: argv.subject,
			...(body === undefined ? {} : {body}),
		});
		if (argv.json) {
			printJson(record);
		}
	},
};

function readBody(file: string): string {
	try {
		return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
	} catch (error) {
		throw new UsageError(`--body-file: cannot read ${file}: ${(error as Error).message}`);
	}
}
