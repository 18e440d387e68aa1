import test from 'ava';
import {AgentsService} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {openProject} from '../../../source/core/project.js';
import {createOrchestrator} from '../../../source/core/run.js';
import {SupervisionService} from '../../../source/core/supervision/service.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand} from '../agents/harness.js';

test.serial('an agent that exits while the services after the agents service start is exited for supervision', async t => {
	const tmux = privateTmux('early');
	const project = makeProject({
		session: 'cmux', tmuxSocket: tmux.socket, healthPort: 0,
		agents: [{name: 'w1', command: fixtureCommand('crash-agent'), env: {CRASH_AFTER_MS: '300', CRASH_CODE: '0'}, restart: 'never'}],
	});
	const events: CmuxEvent[] = [];
	// Between the agents service and supervision: a service that finishes starting the moment the
	// agent's exit is announced, while the agents service is still handling it (its row not updated).
	const gate = {name: 'gate', async start() {
		await waitFor(() => events.some(event => event.type === 'agent.exited'), {what: 'the exit', timeout: 15_000});
	}, async stop() {}};
	const running = createOrchestrator(openProject({project: project.root, env: {}}), {
		log: nullLogger,
		factories: [context => new AgentsService(context), () => gate, context => new SupervisionService(context)],
	});
	running.orchestrator.on('event', event => events.push(event));
	try {
		await running.start();
		const exited = await waitFor(() => events.find(event => event.type === 'agent.state' && (event as {state?: string}).state === 'exited'), {what: 'the exited state'});
		t.like(exited, {agent: 'w1', source: 'process'});
	} finally {
		await running.shutdown('test');
		await tmux.kill();
		project.cleanup();
	}
});
