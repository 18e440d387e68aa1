import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {isAlive, startOf} from '../../source/core/process/table.js';
import {fixturesDir} from '../helpers/paths.js';
import {makeProject, runCli} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

const stubborn = path.join(fixturesDir, 'agents', 'stubborn-agent.js');

function project(socket: string, extra: Record<string, unknown> = {}) {
	return makeProject({session: 'hard', tmuxSocket: socket, healthPort: 0, ...extra});
}

test.serial('stop kills an orchestrator that ignores SIGTERM after its grace and verifies it is gone', async t => {
	const tmux = privateTmux('stop');
	const box = project(tmux.socket);
	// Stands in for an orchestrator stuck past SIGTERM: it holds the lock file as `run` writes it.
	const stuck = spawn(process.execPath, [stubborn], {stdio: 'ignore'});
	try {
		await waitFor(() => startOf(stuck.pid!));
		fs.writeFileSync(path.join(box.root, '.cmux', 'orchestrator.pid'), `${stuck.pid} ${startOf(stuck.pid!)}\n`, {mode: 0o600});
		const result = await runCli(['stop', '--json'], {cwd: box.root, timeout: 40_000});
		t.like(JSON.parse(result.stdout), {orchestrator: stuck.pid, orchestratorKilled: true, survivors: 0});
		t.is(result.exitCode, 0, result.stderr);
		t.false(isAlive(stuck.pid!));
	} finally {
		stuck.kill('SIGKILL');
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('register refuses a window that does not exist or a prefix of another, and records the window id asked for', async t => {
	const tmux = privateTmux('reg');
	const box = project(tmux.socket);
	try {
		await tmux.run(['new-session', '-d', '-s', 'hard', '-n', 'worker-12', 'sleep', '600']);
		const registry = path.join(box.root, '.cmux', 'agent_registry.json');
		const missing = await runCli(['register', 'w9', '--window', 'hard:nope'], {cwd: box.root});
		t.is(missing.exitCode, 1);
		t.regex(missing.stderr, /^cmux-tui: window hard:nope does not exist; nothing was registered\n$/);
		// tmux would take `hard:worker-1` as a prefix of worker-12: that window is not worker-1's.
		t.is((await runCli(['register', 'worker-1'], {cwd: box.root})).exitCode, 1);
		t.false(fs.existsSync(registry) && 'worker-1' in (JSON.parse(fs.readFileSync(registry, 'utf8')) as object));
		const bad = await runCli(['register', 'a;b', '--window', 'hard:worker-12'], {cwd: box.root});
		t.is(bad.exitCode, 2);
		t.regex(bad.stderr, /name.*an agent name of letters, digits/);
		await tmux.run(['new-window', '-d', '-t', 'hard', '-n', 'mine', 'sleep', '600']);
		const windowId = (await tmux.run(['display-message', '-p', '-t', 'hard:=mine', '#{window_id}'])).trim();
		t.is((await runCli(['register', 'mine', '--window', 'hard:mine'], {cwd: box.root})).exitCode, 0);
		t.like((JSON.parse(fs.readFileSync(registry, 'utf8')) as Record<string, unknown>).mine, {window: 'hard:mine', window_id: windowId});
	} finally {
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('agents kill sends one SIGTERM per process, then SIGKILL', async t => {
	const tmux = privateTmux('term');
	const log = path.join(os.tmpdir(), `cmux-sigterm-${process.pid}-${Date.now()}`);
	const pidFile = `${log}.pid`;
	const box = project(tmux.socket, {agents: [{name: 'stub', command: `node '${stubborn}'`, env: {SIGTERM_LOG: log, PID_FILE: pidFile}, stopTimeout: '1500ms', restart: 'never'}]});
	try {
		t.is((await runCli(['agents', 'spawn', 'stub'], {cwd: box.root})).exitCode, 0);
		await waitFor(() => fs.existsSync(pidFile), {what: 'the agent pid file'});
		const killed = await runCli(['agents', 'kill', 'stub'], {cwd: box.root});
		t.is(killed.exitCode, 0, killed.stderr);
		t.is(fs.readFileSync(log, 'utf8'), 'SIGTERM\n');
	} finally {
		fs.rmSync(log, {force: true});
		fs.rmSync(pidFile, {force: true});
		await runCli(['stop'], {cwd: box.root});
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('text for a person carries no escape: agents list, status and errors neutralise control characters', async t => {
	const tmux = privateTmux('esc');
	const box = project(tmux.socket);
	try {
		const osc = '\u001B]52;c;cHduZWQ=\u0007\u009D0;title\u0007';
		await tmux.run(['new-session', '-d', '-s', 'hard', '-n', 'home', 'sleep', '600']);
		fs.writeFileSync(path.join(box.root, '.cmux', 'agent_registry.json'), JSON.stringify({scripted: {name: 'scripted', type: 'worker', window: `hard:${osc}`}}));
		const list = await runCli(['agents', 'list'], {cwd: box.root});
		t.regex(list.stdout, /scripted .*hard:\^\[\]52;c;cHduZWQ=\^G\^\[\]0;title\^G/);
		// An error that names the bad value: it reaches stderr neutralised.
		const killed = await runCli(['status', '--project', `x${osc}`], {cwd: box.root});
		t.is(killed.exitCode, 2);
		t.regex(killed.stderr, /^cmux-tui: --project x\^\[\]52;c;cHduZWQ=\^G\^\[\]0;title\^G: no such folder\n$/);
		for (const output of [list.stdout, list.stderr, killed.stderr, (await runCli(['status'], {cwd: box.root})).stdout, (await runCli(['doctor'], {cwd: box.root})).stdout]) {
			t.notRegex(output, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
		}
	} finally {
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('a config that is not a regular file or is too big is refused with exit 2, and --project is never created', async t => {
	const box = makeProject({});
	const config = path.join(box.root, '.cmux', 'config.json');
	try {
		const check = async (pattern: RegExp) => {
			const result = await runCli(['status'], {cwd: box.root, timeout: 10_000});
			t.is(result.exitCode, 2, result.stderr);
			t.regex(result.stderr, pattern);
			t.is(result.stderr.split('\n').length, 2, 'one line');
		};

		fs.rmSync(config);
		fs.symlinkSync(path.join(box.root, 'nowhere.json'), config);
		await check(/dangling/);
		fs.rmSync(config);
		await execa('mkfifo', [config]);
		await check(/is not a regular file \(a FIFO\)/);
		fs.rmSync(config);
		fs.symlinkSync('/dev/zero', config);
		await check(/is not a regular file \(a character device\)/);
		fs.rmSync(config);
		fs.writeFileSync(config, `{"session":"${'x'.repeat(2 * 1024 * 1024)}"}`);
		await check(/bytes; a config is at most 1048576/);
		const missing = path.join(box.root, 'no', 'such', 'dir');
		const result = await runCli(['status', '--project', missing], {cwd: box.root});
		t.is(result.exitCode, 2);
		t.regex(result.stderr, /--project .*: no such folder/);
		t.false(fs.existsSync(path.join(box.root, 'no')));
	} finally {
		box.cleanup();
	}
});
