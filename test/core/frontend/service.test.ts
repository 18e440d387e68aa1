import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {FrontendService} from '../../../source/core/frontend/service.js';
import {nullLogger} from '../../../source/core/logger.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {openStore} from '../../../source/core/project.js';
import {fixturesDir} from '../../helpers/paths.js';
import {makeProject} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';

function running(buildPrefix = '') {
	const {root, cleanup} = makeProject();
	const config = validateConfig({healthPort: 0, frontend: {dir: 'web', build: `${buildPrefix}node '${path.join(fixturesDir, 'frontend', 'build.js')}' {out}`}});
	const paths = resolvePaths(root);
	const store = openStore(paths);
	const orchestrator = new Orchestrator({config, paths, store, log: nullLogger, tmux: {run: async () => [], close: async () => undefined},
		factories: [context => new FrontendService(context, context.config.frontend!, 100)]});
	const events: CmuxEvent[] = [];
	orchestrator.on('event', event => events.push(event));
	return {root, store, orchestrator, events, dist: path.join(root, 'web', 'dist'), async close() {
		await orchestrator.stop();
		store.close();
		cleanup();
	}};
}

test.serial('a missing dist is built when the service starts', async t => {
	const service = running();
	try {
		await service.orchestrator.start();
		t.true(fs.existsSync(path.join(service.dist, 'index.html')));
		t.truthy(service.events.find(event => event.type === 'frontend.rebuilt'));
		t.like(service.store.serviceState('frontend'), {status: 'healthy', detail: {lastBuild: {ok: true}}});
	} finally {
		await service.close();
	}
});

test.serial('a broken bundle turns the frontend unhealthy with a reason', async t => {
	const service = running();
	try {
		await service.orchestrator.start();
		fs.rmSync(path.join(service.dist, 'index.html'));
		const event = await waitFor(() => service.events.find(event => event.type === 'frontend.unhealthy'), {what: 'frontend.unhealthy'});
		t.regex(String(event.reason), /index\.html is missing/);
		t.is(service.store.serviceState('frontend')!.status, 'unhealthy');
	} finally {
		await service.close();
	}
});

test.serial('a failed start build is reported and the orchestrator keeps running', async t => {
	const service = running('BUILD_FAIL_FILE=/ ');
	try {
		await service.orchestrator.start();
		t.truthy(service.events.find(event => event.type === 'frontend.rebuild_failed'));
		t.like(service.store.serviceState('frontend'), {status: 'unhealthy', detail: {lastBuild: {ok: false}}});
	} finally {
		await service.close();
	}
});
