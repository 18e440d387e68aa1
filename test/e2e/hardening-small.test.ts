import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import {startOf} from '../../source/core/process/table.js';
import {freePort, makeProject, runCli} from '../helpers/project.js';
import {runOrchestrator} from '../helpers/orchestrator.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

/** One raw HTTP/1.1 exchange: the status line and body of the answer. */
async function raw(port: number, request: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.end(request);
		});
		let answer = '';
		socket.setEncoding('utf8').on('data', chunk => {
			answer += chunk;
		}).on('end', () => {
			resolve(answer);
		}).on('error', reject);
	});
}

test.serial('the health port checks Host and Origin on POST, answers 405 to unknown methods, and is degraded while ingest is stalled', async t => {
	const tmux = privateTmux('http');
	const port = await freePort();
	const box = makeProject({session: 'hard', tmuxSocket: tmux.socket, healthPort: port, agents: [{name: 'w1', command: 'sleep 600'}]});
	const run = runOrchestrator(box.root, {});
	try {
		await run.waitEvent(event => event.type === 'agent.started', 'w1');
		const beat = (headers: string) => raw(port, `POST /beat/w1 HTTP/1.1\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`);
		t.regex(await beat(`Host: 127.0.0.1:${port}\r\n`), /^HTTP\/1\.1 200 /);
		t.regex(await beat(`Host: localhost:${port}\r\nOrigin: http://localhost:${port}\r\n`), /^HTTP\/1\.1 200 /);
		t.regex(await beat('Host: evil.example:80\r\n'), /^HTTP\/1\.1 403 [^]*Host \\"evil\.example:80\\" is not 127\.0\.0\.1/);
		t.regex(await beat(`Host: 127.0.0.1:${port}\r\nOrigin: https://evil.example\r\n`), /^HTTP\/1\.1 403 [^]*cross-origin request from \\"https:\/\/evil\.example\\"/);
		t.regex(await raw(port, `FOO /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 405 /);
		t.regex(await raw(port, `DELETE /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 405 /);

		// Every write of the read position fails, as on a full disk: ingest stalls.
		const db = new Database(path.join(box.root, '.cmux', 'cmux.db'));
		db.pragma('busy_timeout = 5000');
		const mailboxStatus = async () => (await (await fetch(`http://127.0.0.1:${port}/health`)).json() as {mailbox: {status: string; reason?: string}}).mailbox;
		try {
			db.exec(`CREATE TRIGGER full_insert BEFORE INSERT ON ingest_offsets BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;
				CREATE TRIGGER full_update BEFORE UPDATE ON ingest_offsets BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`);
			t.is((await runCli(['send', 'user', 'stalled'], {cwd: box.root})).exitCode, 0);
			const stalled = await waitFor(async () => {
				const mailbox = await mailboxStatus();
				return mailbox.status === 'degraded' ? mailbox : undefined;
			}, {what: 'a degraded mailbox'});
			t.regex(stalled.reason ?? '', /mailbox ingest stalled: .*disk is full/);
			db.exec('DROP TRIGGER full_insert; DROP TRIGGER full_update');
			await run.waitEvent(event => event.type === 'message.delivered', 'the stalled message, once the disk has room');
			await waitFor(async () => (await mailboxStatus()).status === 'healthy', {what: 'a healthy mailbox'});
		} finally {
			db.close();
		}
	} finally {
		await run.stop();
		await runCli(['stop'], {cwd: box.root});
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('leftover paste folders of dead processes are removed at start, those of live ones kept', async t => {
	const tmux = privateTmux('paste');
	const box = makeProject({session: 'hard', tmuxSocket: tmux.socket, healthPort: 0});
	const dead = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-paste-999999999-1-'));
	const live = fs.mkdtempSync(path.join(os.tmpdir(), `cmux-paste-${process.pid}-${startOf(process.pid)}-`));
	const run = runOrchestrator(box.root, {});
	try {
		await run.waitEvent(event => event.type === 'orchestrator.started', 'start');
		// The mailbox service cleans up as it starts; a later proof it started: its log line.
		await waitFor(() => !fs.existsSync(dead), {what: 'the dead process\'s paste folder removed'});
		await waitFor(() => fs.readFileSync(path.join(box.root, '.cmux', 'logs', 'cmux.log'), 'utf8').includes(`removed ${dead}`));
		t.true(fs.existsSync(live));
	} finally {
		await run.stop();
		fs.rmSync(dead, {recursive: true, force: true});
		fs.rmSync(live, {recursive: true, force: true});
		await tmux.kill();
		box.cleanup();
	}
});

test.serial('the copy of a corrupt registry is private (0600)', async t => {
	const tmux = privateTmux('reg');
	const box = makeProject({session: 'hard', tmuxSocket: tmux.socket, healthPort: 0});
	try {
		await tmux.run(['new-session', '-d', '-s', 'hard', '-n', 'w1', 'sleep', '600']);
		const registry = path.join(box.root, '.cmux', 'agent_registry.json');
		fs.writeFileSync(registry, '{not json', {mode: 0o644});
		fs.chmodSync(registry, 0o644);
		t.is((await runCli(['register', 'w1'], {cwd: box.root})).exitCode, 0);
		const copy = fs.readdirSync(path.dirname(registry)).find(name => name.startsWith('agent_registry.json.corrupt-'))!;
		t.is(fs.statSync(path.join(path.dirname(registry), copy)).mode & 0o777, 0o600);
		t.is(fs.statSync(registry).mode & 0o777, 0o600);
	} finally {
		await tmux.kill();
		box.cleanup();
	}
});
