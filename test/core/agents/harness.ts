import path from 'node:path';
import {openProject} from '../../../source/core/project.js';
import type {Clock} from '../../../source/core/clock.js';
import {createOrchestrator, type RunningOrchestrator} from '../../../source/core/run.js';
import {AgentsService, type AgentsServiceOptions} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {fixturesDir} from '../../helpers/paths.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

/** `node fixtures/agents/<name>.js` as an agent command. */
export function fixtureCommand(name: string): string {
	return `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', `${name}.js`))}`;
}

export interface Harness {
	root: string;
	tmux: ReturnType<typeof privateTmux>;
	events: CmuxEvent[];
	running: RunningOrchestrator;
	service: AgentsService;
	/** The first event matching, waiting for it. */
	event(type: string, agent?: string, timeout?: number): Promise<CmuxEvent>;
	restart(options?: AgentsServiceOptions): Promise<void>;
	/**
	 * Proof that an agent will not start again by itself, instead of a fixed sleep: no restart timer
	 * is pending for it, and a full reconciliation pass (which starts every agent it should, and
	 * waits for the starts) has run after its exit was handled.
	 */
	noRestartPending(name: string): Promise<void>;
	cleanup(): Promise<void>;
}

/** A temp project with `agents`, a private tmux server, and an orchestrator running only the agents service. */
export async function startHarness(agents: Array<Record<string, unknown>>, options: AgentsServiceOptions = {}, before?: (h: {root: string; tmux: ReturnType<typeof privateTmux>}) => Promise<void>, clock?: Clock): Promise<Harness> {
	const tmux = privateTmux('agents');
	const project = makeProject({session: 'cmux', tmuxSocket: tmux.socket, healthPort: 0, agents});
	await before?.({root: project.root, tmux});
	const events: CmuxEvent[] = [];
	const harness: Harness = {
		root: project.root, tmux, events,
		running: undefined as unknown as RunningOrchestrator,
		service: undefined as unknown as AgentsService,
		async event(type, agent, timeout = 15_000) {
			return waitFor(() => events.find(event => event.type === type && (agent === undefined || (event as {agent?: string}).agent === agent)), {timeout, what: `${type} ${agent ?? ''}`});
		},
		async restart(next = options) {
			await harness.running.shutdown('test');
			await launch(next);
		},
		async noRestartPending(name) {
			await harness.service.settled();
			const record = harness.service.records.get(name);
			if (record?.restartTimer !== undefined) {
				throw new Error(`a restart of ${name} is pending (state ${record.state})`);
			}

			harness.service.schedule();
			await harness.service.settled();
			if (harness.service.records.get(name)?.restartTimer !== undefined) {
				throw new Error(`reconciliation scheduled a restart of ${name}`);
			}
		},
		async cleanup() {
			await harness.running.shutdown('test').catch(() => {});
			await tmux.kill();
			project.cleanup();
		},
	};
	const launch = async (serviceOptions: AgentsServiceOptions) => {
		harness.running = createOrchestrator(openProject({project: project.root, env: {}}), {
			log: nullLogger,
			...(clock ? {clock} : {}),
			factories: [context => {
				harness.service = new AgentsService(context, serviceOptions);
				return harness.service;
			}],
		});
		harness.running.orchestrator.on('event', event => events.push(event));
		await harness.running.start();
	};

	await launch(options);
	return harness;
}
