import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import test from 'ava';
import {execa} from 'execa';
import {cliPath} from '../helpers/paths.js';
import {freePort, makeProject, runCli} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';

/** Start `cmux-tui run --no-ui [--json]` on a fresh project; lines of stdout arrive on `next()`. */
async function startRun(options: {json: boolean; config?: Record<string, unknown>}) {
	const tmux = privateTmux('headless');
	const port = await freePort();
	const project = makeProject({healthPort: port, ...options.config});
	const child = execa(process.execPath, [cliPath, 'run', '--no-ui', ...(options.json ? ['--json'] : [])], {
		cwd: project.root, env: {NO_COLOR: '1', CMUX_TMUX_SOCKET: tmux.socket}, reject: false, stdin: 'ignore',
	});
	const lines: string[] = [];
	const waiters: Array<() => void> = [];
	readline.createInterface({input: child.stdout!}).on('line', line => {
		lines.push(line);
		waiters.splice(0).forEach(wake => {
			wake();
		});
	});
	const waitForLine = async (match: (line: string) => boolean, timeout = 15_000): Promise<string> => {
		const deadline = Date.now() + timeout;
		for (;;) {
			const found = lines.find(match);
			if (found) {
				return found;
			}

			if (Date.now() > deadline) {
				throw new Error(`no matching line; got:\n${lines.join('\n')}`);
			}

			// Woken by the next line; the 100 ms only re-checks the deadline when no line comes.
			await new Promise<void>(resolve => {
				waiters.push(resolve);
				setTimeout(resolve, 100);
			});
		}
	};

	return {child, project, port, lines, waitForLine, cleanup: async () => {
		child.kill('SIGKILL');
		await child;
		await tmux.kill();
		project.cleanup();
	}};
}

test.serial('--no-ui --json prints one JSON event per line, promptly, on a pipe', async t => {
	const run = await startRun({json: true});
	const first = JSON.parse(await run.waitForLine(line => line.includes('orchestrator.started'))) as Record<string, unknown>;
	t.is(first.type, 'orchestrator.started');
	t.regex(String(first.ts), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	t.is(first.project, run.project.root);
	// An event caused from outside shows up on the pipe while the process keeps running.
	const before = Date.now();
	fs.writeFileSync(path.join(run.project.root, '.cmux', 'probe'), '');
	run.child.kill('SIGINT');
	const stopping = JSON.parse(await run.waitForLine(line => line.includes('orchestrator.stopping'))) as Record<string, unknown>;
	t.is(stopping.signal, 'SIGINT');
	t.true(Date.now() - before < 5000);
	for (const line of run.lines) {
		t.notThrows(() => JSON.parse(line), line);
	}

	const result = await run.child;
	t.is(result.exitCode, 130);
	await run.cleanup();
});

test.serial('--no-ui prints readable lines', async t => {
	const run = await startRun({json: false});
	const line = await run.waitForLine(line => line.includes('orchestrator.started'));
	t.regex(line, /^\d\d:\d\d:\d\d\.\d{3} orchestrator\.started pid=\d+ project=/);
	run.child.kill('SIGTERM');
	t.is((await run.child).exitCode, 130);
	await run.cleanup();
});

test.serial('events are persisted, status agrees while running, and shutdown leaves nothing behind', async t => {
	const run = await startRun({json: true});
	await run.waitForLine(line => line.includes('orchestrator.started'));
	const status = await runCli(['status', '--json'], {cwd: run.project.root});
	t.is(status.exitCode, 0, status.stdout);
	t.like(JSON.parse(status.stdout), {status: 'healthy', orchestrator: {running: true}});
	const health = await fetch(`http://127.0.0.1:${run.port}/health`);
	t.is(health.status, 200);

	const second = await runCli(['run', '--no-ui'], {cwd: run.project.root, env: {CMUX_HEALTH_PORT: '0'}});
	t.is(second.exitCode, 1);
	t.regex(second.stderr, /^cmux-tui: an orchestrator is already running for this project \(pid \d+\)[^\n]*\n$/);

	run.child.kill('SIGINT');
	t.is((await run.child).exitCode, 130);
	t.false(fs.existsSync(path.join(run.project.root, '.cmux', 'orchestrator.pid')));
	await t.throwsAsync(fetch(`http://127.0.0.1:${run.port}/health`));
	const after = await runCli(['status', '--json'], {cwd: run.project.root});
	t.is(after.exitCode, 1);
	t.like(JSON.parse(after.stdout), {status: 'unhealthy', orchestrator: {running: false}});

	const {Store} = await import('../../source/core/store/store.js');
	const store = Store.open(path.join(run.project.root, '.cmux', 'cmux.db'));
	t.deepEqual(store.events({types: ['orchestrator.started', 'orchestrator.stopping']}).map(event => event.type), ['orchestrator.started', 'orchestrator.stopping']);
	store.close();
	await run.cleanup();
});

test.serial('a bad config stops run with one line and exit 2', async t => {
	const project = makeProject({healthPort: 0, agents: [{name: 'a', command: 42}]});
	const result = await runCli(['run', '--no-ui'], {cwd: project.root});
	t.is(result.exitCode, 2);
	t.is(result.stderr, 'cmux-tui: agents[0].command: expected a non-empty string, got 42\n');
	project.cleanup();
});

test.serial('a busy health port stops run with a clear error', async t => {
	const run = await startRun({json: true});
	await run.waitForLine(line => line.includes('orchestrator.started'));
	const other = makeProject({healthPort: run.port});
	const result = await runCli(['run', '--no-ui'], {cwd: other.root});
	t.is(result.exitCode, 1);
	t.regex(result.stderr, new RegExp(`health port 127\\.0\\.0\\.1:${run.port} is already in use`));
	other.cleanup();
	await run.cleanup();
});
