import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {AgentsService} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {openProject} from '../../../source/core/project.js';
import {createOrchestrator} from '../../../source/core/run.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand} from './harness.js';

test.serial('an exit recorded by the launch wrapper is handled at once, without tmux reporting the dead pane', async t => {
	const tmux = privateTmux('exits');
	const project = makeProject({
		session: 'cmux', tmuxSocket: tmux.socket, healthPort: 0,
		agents: [{name: 'crash', command: fixtureCommand('crash-agent'), env: {CRASH_AFTER_MS: '300', CRASH_CODE: '7'}, restart: 'never'}],
	});
	const events: CmuxEvent[] = [];
	let service: AgentsService | undefined;
	// One process per tmux command: no notifications and no dead-pane subscription, and a polling
	// reconciliation once a minute. Only the watch on the exit status files can see the exit in time.
	const running = createOrchestrator(openProject({project: project.root, env: {}}), {
		log: nullLogger, tmux: new ExecTmuxClient(tmux.socket),
		factories: [context => {
			service = new AgentsService(context, {pollInterval: 60_000});
			return service;
		}],
	});
	running.orchestrator.on('event', event => events.push(event));
	// The status of an earlier run: the launch empties it, so it is neither read nor appended to.
	const statusFile = path.join(project.root, '.cmux', 'run', 'crash.exit');
	fs.mkdirSync(path.dirname(statusFile), {recursive: true});
	fs.writeFileSync(statusFile, '9\n');
	try {
		await running.start();
		const exited = await waitFor(() => events.find(event => event.type === 'agent.exited'), {timeout: 15_000, what: 'agent.exited'});
		t.like(exited, {agent: 'crash', reason: 'process-exited', code: 7});
		t.is(fs.readFileSync(statusFile, 'utf8'), '7\n');
		// Then the restart policy as for a dead pane: `never` leaves it exited, its window closed.
		await waitFor(() => service?.records.get('crash')?.state === 'exited', {what: 'state exited'});
		await waitFor(async () => !(await tmux.run(['list-windows', '-a', '-F', '#{window_name}'])).split('\n').includes('crash'), {what: 'the window closed'});
		t.is(events.filter(event => event.type === 'agent.exited').length, 1);
	} finally {
		await running.shutdown('test');
		await tmux.kill();
		project.cleanup();
	}
});
