import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {openProject, openStore} from '../../../source/core/project.js';
import {RollbackService} from '../../../source/core/rollback/service.js';
import {ServerService} from '../../../source/core/server/service.js';
import {fixturesDir} from '../../helpers/paths.js';
import {freePort, makeProject} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';

test.serial('a server that gives up after a bad commit is rolled back to the last good commit', async t => {
	const port = await freePort();
	const {root, cleanup} = makeProject({
		healthPort: 0,
		server: {command: `node '${path.join(fixturesDir, 'server', 'dev-server.js')}'`, port, healthUrl: `http://127.0.0.1:${port}/health`,
			interval: '200ms', failures: 2, stopTimeout: '300ms', startTimeout: '3s', env: {HEALTH_FAIL_FILE: 'broken.flag'}},
		rollback: {enabled: true, verifyWindow: '1s'},
	});
	const git = async (...args: string[]) => (await execa('git', args, {cwd: root})).stdout;
	await git('init', '-q', '-b', 'main');
	await git('config', 'user.email', 'test@example.com');
	await git('config', 'user.name', 'test');
	fs.writeFileSync(path.join(root, '.gitignore'), '.cmux/\n');
	await git('add', '.');
	await git('commit', '-qm', 'good');
	const good = await git('rev-parse', 'HEAD');
	const project = openProject({project: root, env: {}});
	const store = openStore(project.paths);
	const orchestrator = new Orchestrator({config: project.config, paths: project.paths, store, log: nullLogger, tmux: {run: async () => [], close: async () => undefined},
		factories: [
			context => new ServerService(context, context.config.server!, {backoffBase: 50, crashLoopRestarts: 1}),
			context => new RollbackService(context, 100),
		]});
	const events: CmuxEvent[] = [];
	orchestrator.on('event', event => events.push(event));
	try {
		await orchestrator.start();
		await waitFor(() => fs.existsSync(path.join(project.paths.stateDir, 'rollback.json')), {what: 'a known-good commit'});
		fs.writeFileSync(path.join(root, 'broken.flag'), '');
		await git('add', 'broken.flag');
		await git('commit', '-qm', 'broken');
		fs.writeFileSync(path.join(root, 'notes.txt'), 'my notes\n');
		const verified = await waitFor(() => events.find(event => event.type === 'rollback.verified' || event.type === 'rollback.failed'), {timeout: 20_000, what: 'the rollback'});
		t.is(verified.type, 'rollback.verified', JSON.stringify(verified));
		t.is(await git('rev-parse', 'HEAD'), good);
		t.false(fs.existsSync(path.join(root, 'broken.flag')));
		t.is(await git('show', `${String(verified.stash)}^3:notes.txt`), 'my notes');
		t.is(store.serviceState('server')!.status, 'healthy');
		t.truthy(events.find(event => event.type === 'rollback.started'));
	} finally {
		await orchestrator.api.call('server.stop', {});
		await orchestrator.stop();
		store.close();
		cleanup();
	}
});
