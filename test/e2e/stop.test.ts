import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {portIsFree} from '../../source/core/doctor.js';
import {processesWithCookie, projectCookiePrefix} from '../../source/core/process/cookie.js';
import {cliPath, fixturesDir} from '../helpers/paths.js';
import {freePort, makeProject, runCli} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

test.serial('stop ends the orchestrator, every agent tree, the server with its port, and the session', async t => {
	const tmux = privateTmux('stop');
	const port = await freePort();
	const project = makeProject({
		healthPort: 0,
		session: 'stoptest',
		agents: [{name: 'forker', command: `node '${path.join(fixturesDir, 'agents', 'forking-agent.js')}'`, env: {IGNORE_SIGTERM: '1'}, stopTimeout: '500ms'}],
		server: {command: `node '${path.join(fixturesDir, 'server', 'dev-server.js')}'`, port, healthUrl: `http://127.0.0.1:${port}/health`, env: {WORKERS: '1', IGNORE_SIGTERM: '1'}, stopTimeout: '500ms'},
	});
	const env = {CMUX_TMUX_SOCKET: tmux.socket, NO_COLOR: '1'};
	const run = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json'], {cwd: project.root, env, reject: false, stdin: 'ignore'});
	const ours = () => processesWithCookie(cookie => cookie.startsWith(projectCookiePrefix(project.root)));
	try {
		await waitFor(() => fs.existsSync(path.join(project.root, '.cmux', 'server.json')) && ours().length >= 5, {timeout: 20_000, what: 'the agent tree and the server'});
		const result = await runCli(['stop', '--json'], {cwd: project.root, env});
		t.is(result.exitCode, 0, result.stderr);
		t.like(JSON.parse(result.stdout), {agents: ['forker'], survivors: 0, serverPortFree: true});
		t.is((await run).exitCode, 130, 'the orchestrator was asked to stop and stopped gracefully');
		t.deepEqual(ours(), []);
		t.true(await portIsFree(port));
		t.false(fs.existsSync(path.join(project.root, '.cmux', 'server.json')));
		await t.throwsAsync(tmux.run(['has-session', '-t', 'stoptest']));
	} finally {
		run.kill('SIGKILL');
		for (const row of ours()) {
			try {
				process.kill(row.pid, 'SIGKILL');
			} catch {}
		}

		await tmux.kill();
		project.cleanup();
	}
});
