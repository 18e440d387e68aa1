import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {isAlive} from '../../source/core/process/table.js';
import {fixturesDir} from '../helpers/paths.js';
import {makeProject, runCli} from '../helpers/project.js';
import {runOrchestrator} from '../helpers/orchestrator.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

const echoAgent = path.join(fixturesDir, 'agents', 'echo-agent.js');
const stubborn = path.join(fixturesDir, 'agents', 'stubborn-agent.js');

test.serial('a damaged cmux.db gives one clear line, stop and agents kill still work, doctor --repair rebuilds it', async t => {
	const tmux = privateTmux('db');
	const pidFile = path.join(os.tmpdir(), `cmux-stub-${process.pid}.pid`);
	const box = makeProject({session: 'hard', tmuxSocket: tmux.socket, healthPort: 0, agents: [{name: 'stub', command: `node '${stubborn}'`, env: {PID_FILE: pidFile}, stopTimeout: '300ms'}]});
	const db = path.join(box.root, '.cmux', 'cmux.db');
	try {
		t.is((await runCli(['agents', 'spawn', 'stub'], {cwd: box.root})).exitCode, 0);
		await waitFor(() => fs.existsSync(pidFile), {what: 'the agent'});
		const pid = Number(fs.readFileSync(pidFile, 'utf8'));
		for (const suffix of ['-wal', '-shm']) {
			fs.rmSync(db + suffix, {force: true});
		}

		fs.writeFileSync(db, 'this is not a database, it is garbage '.repeat(200));
		for (const args of [['status'], ['run', '--no-ui']]) {
			const result = await runCli(args, {cwd: box.root});
			t.is(result.exitCode, 1, args.join(' '));
			t.regex(result.stderr, /^cmux-tui: cannot open the database .*cmux\.db: file is not a database \(it is damaged: `cmux-tui doctor --repair` moves it aside/);
			t.is(result.stderr.split('\n').length, 2, 'one line, no stack');
		}

		const killed = await runCli(['agents', 'kill', 'stub'], {cwd: box.root});
		t.is(killed.exitCode, 0, killed.stderr);
		t.regex(killed.stderr, /going on without it, from the registry and the process cookies/);
		t.false(isAlive(pid));
		t.is((await runCli(['stop'], {cwd: box.root})).exitCode, 0);
		const repaired = await runCli(['doctor', '--repair'], {cwd: box.root});
		t.regex(repaired.stdout, /^repaired: the database was damaged .*moved to .*cmux\.db\.corrupt-/);
		const aside = fs.readdirSync(path.join(box.root, '.cmux')).find(name => name.startsWith('cmux.db.corrupt-'))!;
		t.is(fs.statSync(path.join(box.root, '.cmux', aside)).mode & 0o777, 0o600);
		t.regex(repaired.stdout, /ok {3}database: integrity_check: ok/);
		t.is((await runCli(['status', '--json'], {cwd: box.root})).stderr, '');
	} finally {
		fs.rmSync(pidFile, {force: true});
		await runCli(['stop'], {cwd: box.root});
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('a lost cmux.db does not deliver the mailbox again: the read position kept beside it resumes', async t => {
	const tmux = privateTmux('lost');
	const box = makeProject({});
	const echoLog = path.join(box.root, 'w1.echo.log');
	fs.writeFileSync(path.join(box.root, '.cmux', 'config.json'), JSON.stringify({session: 'hard', tmuxSocket: tmux.socket, healthPort: 0, agents: [{name: 'w1', command: `node '${echoAgent}'`, env: {ECHO_LOG: echoLog}}]}));
	const received = () => fs.existsSync(echoLog) ? fs.readFileSync(echoLog, 'utf8').trim().split('\n').filter(Boolean).map(line => (JSON.parse(line) as {line: string}).line) : [];
	try {
		let run = runOrchestrator(box.root, {});
		await run.waitEvent(event => event.type === 'agent.started', 'w1');
		await waitFor(async () => (await tmux.run(['capture-pane', '-p', '-t', 'hard:=w1'])).includes('PROMPT>'));
		for (const subject of ['one', 'two']) {
			t.is((await runCli(['send', 'w1', subject, '--from', 'sup'], {cwd: box.root})).exitCode, 0);
		}

		await waitFor(() => received().length >= 2, {what: 'two deliveries'});
		t.is(await run.stop(), 130);
		for (const suffix of ['', '-wal', '-shm']) {
			fs.rmSync(path.join(box.root, '.cmux', `cmux.db${suffix}`), {force: true});
		}

		t.true(fs.existsSync(path.join(box.root, '.cmux', 'mailbox.offset')));
		run = runOrchestrator(box.root, {});
		await run.waitEvent(event => event.type === 'orchestrator.started', 'the second start');
		t.is((await runCli(['send', 'w1', 'three', '--from', 'sup'], {cwd: box.root})).exitCode, 0);
		await run.waitEvent(event => event.type === 'message.delivered', 'the third delivery');
		t.deepEqual(run.events().filter(event => event.type === 'message.received').map(event => event.subject), ['three']);
		await waitFor(() => received().length >= 3);
		t.deepEqual(received(), ['[hard:sup] one', '[hard:sup] two', '[hard:sup] three']);
		await run.stop();
	} finally {
		await runCli(['stop'], {cwd: box.root});
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('the mailbox follower recovers by itself after the path was briefly a folder, with one warning', async t => {
	const tmux = privateTmux('dir');
	const box = makeProject({session: 'hard', tmuxSocket: tmux.socket, healthPort: 0});
	const mailbox = path.join(box.root, '.cmux', 'mailbox');
	const run = runOrchestrator(box.root, {});
	try {
		await run.waitEvent(event => event.type === 'orchestrator.started', 'start');
		t.is((await runCli(['send', 'user', 'before'], {cwd: box.root})).exitCode, 0);
		await run.waitEvent(event => event.type === 'message.delivered', 'the first message');
		fs.renameSync(mailbox, `${mailbox}.away`);
		fs.mkdirSync(mailbox);
		fs.writeFileSync(path.join(mailbox, 'inside'), 'x\n');
		// Several polls (200 ms) see a folder at the path.
		await new Promise(resolve => {
			setTimeout(resolve, 1500);
		});
		fs.rmSync(mailbox, {recursive: true});
		const started = Date.now();
		t.is((await runCli(['send', 'user', 'after'], {cwd: box.root})).exitCode, 0);
		await run.waitEvent(event => event.type === 'message.delivered' && run.events().some(other => other.type === 'message.received' && other.subject === 'after' && other.id === event.id), 'the message after', 10_000);
		t.true(Date.now() - started < 10_000);
		const log = fs.readFileSync(path.join(box.root, '.cmux', 'logs', 'cmux.log'), 'utf8');
		t.true(log.split('\n').filter(line => line.includes('mailbox:') && /warn/i.test(line)).length <= 1, log);
	} finally {
		await run.stop();
		await tmux.kill();
		box.cleanup();
	}
});
