import type {Argv, CommandModule} from 'yargs';
import {listAgents, type AgentListing} from '../core/agents/direct.js';
import type {Params} from '../core/api.js';
import {callApi, withDirect} from './call.js';
import {clean, paint, printJson, projectFrom, type GlobalOptions} from './common.js';

type AgentType = Params<'register'>['type'];
type NameOptions = GlobalOptions & {name: string};

const list: CommandModule<GlobalOptions, GlobalOptions> = {
	command: ['list', '$0'],
	describe: 'The registry joined with live tmux state',
	async handler(argv) {
		const agents = await withDirect(projectFrom(argv), listAgents);
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
		const entry = await callApi(argv, 'agents.spawn', {name: argv.name, ...(argv.command ? {command: argv.command} : {}), ...(argv.type ? {type: argv.type as AgentType} : {})});
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
		const result = await callApi(argv, 'agents.kill', {name: argv.name, force: Boolean(argv.force)});
		if (argv.json) {
			printJson(result);
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
		const entry = await callApi(argv, 'agents.restart', {name: argv.name});
		if (argv.json) {
			printJson(entry);
		} else {
			process.stdout.write(`restarted ${entry.name} in ${entry.window} (pid ${entry.pid})\n`);
		}
	},
};

const nudge: CommandModule<GlobalOptions, NameOptions> = {
	command: 'nudge <name>',
	describe: 'Nudge an agent now: the nudge message, typed into its prompt only when it is idle',
	builder: yargs => yargs.positional('name', {type: 'string', demandOption: true}),
	async handler(argv) {
		const result = await callApi(argv, 'agents.nudge', {name: argv.name});
		if (argv.json) {
			printJson(result);
		} else {
			process.stdout.write(`${result.text}\n`);
		}
	},
};

export const agentsCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'agents',
	describe: 'List, spawn, kill and restart agents',
	builder: yargs => (yargs as Argv<GlobalOptions>).command(list).command(spawn).command(kill).command(restart).command(nudge),
	handler() {},
};

function formatAgent(agent: AgentListing): string {
	const color = agent.state === 'running' || agent.state === 'idle' || agent.state === 'busy' ? 'green' : agent.state === 'stopped' ? 'dim' : 'yellow';
	const activity = agent.activity?.state ?? '-';
	const activityColor = ['waiting_approval', 'waiting_input', 'stalled', 'limited', 'error'].includes(activity) ? 'yellow' : activity === 'exited' ? 'dim' : 'green';
	return `${clean(agent.name.padEnd(18))}${clean(agent.type.padEnd(11))}${paint(agent.state.padEnd(10), color)}${paint(activity.padEnd(17), activityColor)}${clean((agent.window ?? '-').padEnd(22))}pid ${agent.pid ?? '-'}${agent.configured ? '' : '  (not in config)'}\n`;
}
