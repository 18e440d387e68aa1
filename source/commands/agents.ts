import type {Argv, CommandModule} from 'yargs';
import {killAgent, listAgents, spawnAgent, type AgentListing, type DirectContext} from '../core/agents/direct.js';
import {StateError} from '../core/errors.js';
import {openStore} from '../core/project.js';
import {ExecTmuxClient} from '../core/tmux/exec-client.js';
import {paint, printJson, projectFrom, type GlobalOptions} from './common.js';

/** Open what a one-shot agents command needs, run `action`, close the store. */
export async function withDirect<T>(argv: GlobalOptions, action: (context: DirectContext) => Promise<T>): Promise<T> {
	const project = projectFrom(argv);
	const store = openStore(project.paths);
	try {
		return await action({project, store, tmux: new ExecTmuxClient(project.config.tmuxSocket)});
	} finally {
		store.close();
	}
}

type NameOptions = GlobalOptions & {name: string};

const list: CommandModule<GlobalOptions, GlobalOptions> = {
	command: ['list', '$0'],
	describe: 'The registry joined with live tmux state',
	async handler(argv) {
		const agents = await withDirect(argv, listAgents);
		if (argv.json) {
			printJson(agents);
			return;
		}

		process.stdout.write(agents.length === 0 ? 'no agents (configure some in .cmux/config.json or run `cmux-tui agents spawn`)\n' : agents.map(formatAgent).join(''));
	},
};

const spawn: CommandModule<GlobalOptions, NameOptions & {command?: string; type?: string}> = {
	command: 'spawn <name>',
	describe: 'Start an agent in a new tmux window and register it',
	builder: yargs => yargs
		.positional('name', {type: 'string', demandOption: true})
		.option('command', {type: 'string', describe: 'Command to run (default: the agent\'s command in the config)'})
		.option('type', {type: 'string', choices: ['supervisor', 'worker'], describe: 'Agent type'}),
	async handler(argv) {
		const entry = await withDirect(argv, async context => spawnAgent(context, argv.name, {...(argv.command ? {command: argv.command} : {}), ...(argv.type ? {type: argv.type} : {})}));
		if (argv.json) {
			printJson(entry);
		} else {
			process.stdout.write(`started ${entry.name} in ${entry.window} (pid ${entry.pid})\n`);
		}
	},
};

const kill: CommandModule<GlobalOptions, NameOptions & {force?: boolean}> = {
	command: 'kill <name>',
	describe: 'Stop an agent\'s whole process tree (SIGTERM, grace, SIGKILL, verified)',
	builder: yargs => yargs
		.positional('name', {type: 'string', demandOption: true})
		.option('force', {type: 'boolean', describe: 'SIGKILL at once, no grace period'}),
	async handler(argv) {
		const result = await withDirect(argv, async context => killAgent(context, argv.name, {force: Boolean(argv.force)}));
		if (argv.json) {
			printJson({agent: argv.name, ...result});
		} else {
			process.stdout.write(`killed ${argv.name}: ${result.targets.length} process(es) in ${result.ms} ms${result.survivors.length > 0 ? paint(`, ${result.survivors.length} survived: ${result.survivors.join(' ')}`, 'red') : ''}\n`);
		}

		process.exitCode = result.survivors.length > 0 ? 1 : 0;
	},
};

const restart: CommandModule<GlobalOptions, NameOptions> = {
	command: 'restart <name>',
	describe: 'Kill an agent, then start it again from its config',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true}),
	async handler(argv) {
		const entry = await withDirect(argv, async context => {
			// An agent that is not running is simply started; one whose tree survived the kill is not.
			const killed = await killAgent(context, argv.name).catch((error: unknown) => {
				if (error instanceof StateError) {
					return undefined;
				}

				throw error;
			});
			if (killed && killed.survivors.length > 0) {
				throw new StateError(`agent ${argv.name}: ${killed.survivors.length} process(es) survived the kill (pids ${killed.survivors.join(', ')}); not restarted`);
			}

			const started = await spawnAgent(context, argv.name);
			context.store.recordEvent({type: 'agent.restarted', agent: argv.name, manual: true});
			return started;
		});
		if (argv.json) {
			printJson(entry);
		} else {
			process.stdout.write(`restarted ${entry.name} in ${entry.window} (pid ${entry.pid})\n`);
		}
	},
};

export const agentsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'agents',
	describe: 'List, spawn, kill and restart agents',
	builder: yargs => (yargs as Argv<GlobalOptions>).command(list).command(spawn).command(kill).command(restart),
	handler() {},
};

function formatAgent(agent: AgentListing): string {
	const color = agent.state === 'running' || agent.state === 'idle' || agent.state === 'busy' ? 'green' : agent.state === 'stopped' ? 'dim' : 'yellow';
	const activity = agent.activity?.state ?? '-';
	const activityColor = ['waiting_approval', 'waiting_input', 'stalled', 'limited', 'error'].includes(activity) ? 'yellow' : activity === 'exited' ? 'dim' : 'green';
	return `${agent.name.padEnd(18)}${agent.type.padEnd(11)}${paint(agent.state.padEnd(10), color)}${paint(activity.padEnd(17), activityColor)}${(agent.window ?? '-').padEnd(22)}pid ${agent.pid ?? '-'}${agent.configured ? '' : '  (not in config)'}\n`;
}
