import fs from 'node:fs';
import type {CommandModule} from 'yargs';
import {UsageError} from '../core/errors.js';
import type {Config} from '../core/config/schema.js';
import {cmuxAddress} from '../core/mailbox/address.js';
import {checkOutgoing} from '../core/mailbox/append.js';
import {policyOf} from '../core/mailbox/targets.js';
import {readRegistry} from '../core/registry/registry.js';
import {callApi} from './call.js';
import {printJson, projectFrom, type GlobalOptions} from './common.js';

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
		const project = projectFrom(argv);
		// CMUX's form on the wire (`cmux:NAME`), so CMUX's router and readers see their own addresses.
		const message = {
			from: cmuxAddress(argv.from ?? process.env.CMUX_AGENT_NAME ?? 'user', project.config.session),
			to: cmuxAddress(argv.to, project.config.session),
			subject: argv.subject,
			...(body === undefined ? {} : {body}),
		};
		// Refused here, before anything is sent anywhere, by the checks the router applies.
		checkOutgoing({...message, id: 'x', ts: new Date().toISOString()}, policyOf(project.config));
		const record = await callApi(argv, 'send', message, project);
		const unknown = unknownRecipient(argv.to, project.config, project.paths.registryFile);
		if (unknown) {
			process.stderr.write(`cmux-tui: warning: ${unknown}; the message waits in the mailbox until such an agent exists\n`);
		}

		if (argv.json) {
			printJson(record);
		} else {
			process.stdout.write(`${record.id}\n`);
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

/** Why `to` names no agent this project knows (not configured, not registered), or undefined. */
function unknownRecipient(to: string, config: Config, registryFile: string): string | undefined {
	const [session, window] = to.includes(':') ? to.split(':', 2) as [string, string] : [config.session, to];
	if (to === 'user' || session !== config.session) {
		// Another session's window is the sender's business: we cannot know its agents.
		return undefined;
	}

	if (config.agents.some(agent => agent.name === window)) {
		return undefined;
	}

	const {registry} = readRegistry(registryFile);
	return window in registry ? undefined : `no agent named ${JSON.stringify(window)} is configured or registered`;
}
