import path from 'node:path';
import {AgentsService} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {HeartbeatService} from '../../../source/core/heartbeat/service.js';
import {nullLogger} from '../../../source/core/logger.js';
import {openProject} from '../../../source/core/project.js';
import {createOrchestrator, type RunningOrchestrator} from '../../../source/core/run.js';
import {SupervisionService} from '../../../source/core/supervision/service.js';
import {fixturesDir} from '../../helpers/paths.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

/** A fake agent of `kind` running `script` (see fixtures/agents/fake-agent.js), as an agent config. */
export function fakeAgent(name: string, kind: string, script: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		name, kind, restart: 'never',
		command: `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', 'fake-agent.js'))} --kind ${kind}`,
		env: {FAKE_AGENT_SCRIPT: JSON.stringify(script), FAKE_AGENT_LOG: `.fake-${name}.log`},
		...extra,
	};
}

export interface SupervisionHarness {
	root: string;
	tmux: ReturnType<typeof privateTmux>;
	events: CmuxEvent[];
	running: RunningOrchestrator;
	supervision: SupervisionService;
	/** Wait for `agent.state` with `state` for `agent` (after event index `from`); returns it and when it came. */
	state(agent: string, state: string, options?: {timeout?: number; from?: number}): Promise<CmuxEvent & {receivedAt: number}>;
	event(type: string, agent?: string, timeout?: number): Promise<CmuxEvent>;
	restart(): Promise<void>;
	cleanup(): Promise<void>;
}

/** A temp project with `agents`, a private tmux server, and an orchestrator running the agents, heartbeat and supervision services. */
export async function startSupervision(agents: Array<Record<string, unknown>>, config: Record<string, unknown> = {}): Promise<SupervisionHarness> {
	const tmux = privateTmux('sup');
	const project = makeProject({session: 'cmux', tmuxSocket: tmux.socket, healthPort: 0, agents, ...config});
	const events: Array<CmuxEvent & {receivedAt?: number}> = [];
	const harness: SupervisionHarness = {
		root: project.root, tmux, events,
		running: undefined as unknown as RunningOrchestrator,
		supervision: undefined as unknown as SupervisionService,
		async state(agent, state, options = {}) {
			return waitFor(() => events.slice(options.from ?? 0).find(event => event.type === 'agent.state' && (event as {agent?: string}).agent === agent && (event as {state?: string}).state === state),
				{timeout: options.timeout ?? 15_000, what: `${agent} ${state} (saw ${events.filter(event => event.type === 'agent.state' && (event as {agent?: string}).agent === agent).map(event => (event as {state?: string}).state).join(' → ')})`}) as Promise<CmuxEvent & {receivedAt: number}>;
		},
		async event(type, agent, timeout = 15_000) {
			return waitFor(() => events.find(event => event.type === type && (agent === undefined || (event as {agent?: string}).agent === agent)), {timeout, what: `${type} ${agent ?? ''}`});
		},
		async restart() {
			await harness.running.shutdown('test');
			await launch();
		},
		async cleanup() {
			await harness.running.shutdown('test').catch(() => {});
			await tmux.kill();
			project.cleanup();
		},
	};
	const launch = async () => {
		harness.running = createOrchestrator(openProject({project: project.root, env: {}}), {
			log: nullLogger,
			factories: [
				context => new AgentsService(context),
				// `cmux-tui beat` (the fake agent's beats) goes to the orchestrator's heartbeat service.
				context => new HeartbeatService(context),
				context => {
					harness.supervision = new SupervisionService(context);
					return harness.supervision;
				},
			],
		});
		harness.running.orchestrator.on('event', event => events.push({...event, receivedAt: Date.now()}));
		await harness.running.start();
	};

	await launch();
	return harness;
}
