import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {HandlerApi} from '../../source/core/api.js';
import {nullLogger} from '../../source/core/logger.js';
import {startOf} from '../../source/core/process/table.js';
import {ControlServer} from '../../source/control/server.js';
import {fixturesDir} from '../helpers/paths.js';
import {runCli} from '../helpers/project.js';
import {socketProject, startOrchestrator} from '../helpers/run.js';
import {waitFor} from '../helpers/wait.js';

/** Send raw bytes, half-close, and collect whatever comes back (a dropped connection counts as no reply). */
async function raw(file: string, data: Buffer | string): Promise<string> {
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		const socket = net.createConnection(file, () => {
			socket.end(data);
		});
		socket.on('data', chunk => chunks.push(chunk));
		socket.on('close', () => {
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		socket.on('error', () => {
			// EPIPE/ECONNRESET after the server refused an oversized request: the reply (if any) is in chunks.
		});
	});
}

async function answers(file: string): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.createConnection(file, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => {
			resolve(false);
		});
	});
}

function garbage(index: number): Buffer | string {
	switch (index % 8) {
		case 0: {
			return crypto.randomBytes(1 + (index % 512));
		}

		case 1: {
			return '{"command": "agents.kill", "params": {"name": \n';
		}

		case 2: {
			return `${JSON.stringify({command: `no.such.command.${index}`})}\n`;
		}

		case 3: {
			return `${JSON.stringify({command: 'beat', params: {name: index}})}\n`;
		}

		case 4: {
			return `${JSON.stringify({command: 'agents.kill', params: {name: 'w1', force: 'yes', extra: 1}})}\n`;
		}

		case 5: {
			return `${JSON.stringify([1, 2, 3])}\n`;
		}

		case 6: {
			return `${JSON.stringify({command: '__proto__', params: {}})}\n`;
		}

		default: {
			return index % 80 === 7 ? Buffer.alloc(5 * 1024 * 1024, 'x') : '\n';
		}
	}
}

test.serial('1000 garbage requests each get an error reply and leave the socket answering', async t => {
	const project = socketProject({agents: [{name: 'w1', command: `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', 'silent-agent.js'))}`}]});
	const run = await startOrchestrator(project);
	try {
		t.is(fs.statSync(project.socketFile).mode & 0o777, 0o600);
		let errors = 0;
		for (let batch = 0; batch < 1000; batch += 50) {
			const replies = await Promise.all(Array.from({length: 50}, async (_, offset) => raw(project.socketFile, garbage(batch + offset))));
			for (const reply of replies) {
				if (reply !== '') {
					const parsed = JSON.parse(reply) as {ok: boolean; error: {message: string; exitCode: number}};
					t.false(parsed.ok);
					t.is(parsed.error.exitCode, 2, parsed.error.message);
					errors++;
				}
			}
		}

		// Only an oversized request may be cut off before its reply arrives.
		t.true(errors >= 1000 - 13, `${errors} error replies`);
		const beat = JSON.parse(await raw(project.socketFile, `${JSON.stringify({id: 7, command: 'beat', params: {name: 'w1'}})}\n`)) as {id: number; ok: boolean; result: {agent: string}};
		t.like(beat, {id: 7, ok: true, result: {agent: 'w1'}});
		t.is((await project.cli(['beat', 'w1'])).exitCode, 0);
		t.is(run.child.exitCode, null, 'the orchestrator still runs');
	} finally {
		await run.stop();
		await project.cleanup();
	}
});

/** A socket file left by a listener that died, and a pid file naming that dead process. */
async function staleSocket(socketFile: string, pidFile: string): Promise<void> {
	const child = execa(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1]); setInterval(() => {}, 1e6)', socketFile], {reject: false});
	await waitFor(() => fs.existsSync(socketFile), {what: 'the listener'});
	fs.writeFileSync(pidFile, `${child.pid} ${startOf(child.pid!) ?? ''}\n`);
	child.kill('SIGKILL');
	await child;
}

test.serial('a stale socket is removed by the CLI and replaced by a new orchestrator', async t => {
	const project = socketProject({agents: [{name: 'w1', command: 'sleep 600'}]});
	const pidFile = path.join(project.root, '.cmux', 'orchestrator.pid');
	try {
		await staleSocket(project.socketFile, pidFile);
		t.true(fs.existsSync(project.socketFile));
		const beat = await project.cli(['beat', 'w1', '--json']);
		t.is(beat.exitCode, 0, beat.stderr);
		t.false(fs.existsSync(project.socketFile), 'the stale socket is gone');

		await staleSocket(project.socketFile, pidFile);
		t.false(await answers(project.socketFile));
		const run = await startOrchestrator(project);
		try {
			t.true(await answers(project.socketFile));
			// Through the new orchestrator: the message appears in its stream.
			await run.mark();
			t.pass();
		} finally {
			await run.stop();
		}

		t.false(fs.existsSync(project.socketFile), 'a stopped orchestrator removes its socket');
	} finally {
		await project.cleanup();
	}
});

test('a request that does not complete in time gets an error reply and is closed', async t => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-sock-'));
	const file = path.join(dir, 'cmux.sock');
	const server = new ControlServer({file, api: new HandlerApi({beat: async ({name}) => ({agent: name, ts: 'now'})}, name => `${name} missing`), ready: Promise.resolve(), log: nullLogger, timeoutMs: 200});
	await server.listen();
	try {
		const reply = await new Promise<string>(resolve => {
			const chunks: Buffer[] = [];
			const socket = net.createConnection(file, () => {
				socket.write('{"command": "be');
			});
			socket.on('data', chunk => chunks.push(chunk));
			socket.on('close', () => {
				resolve(Buffer.concat(chunks).toString('utf8'));
			});
		});
		t.like(JSON.parse(reply), {ok: false, error: {exitCode: 2}});
		t.regex(reply, /request not complete within 200 ms/);
		t.like(JSON.parse(await raw(file, '{"command":"agents.pane","params":{"name":"x","lines":5}}\n')), {ok: false, error: {message: 'agents.pane missing', exitCode: 1}});
		t.like(JSON.parse(await raw(file, '{"command":"beat","params":{"name":"a"}}')), {ok: true, result: {agent: 'a'}});
	} finally {
		await server.close();
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

test.serial('a project path too long for a unix socket gets a short socket behind a symlink', async t => {
	const outer = socketProject();
	const deep = path.join(outer.root, 'd'.repeat(120));
	fs.mkdirSync(path.join(deep, '.cmux'), {recursive: true, mode: 0o700});
	fs.writeFileSync(path.join(deep, '.cmux', 'config.json'), JSON.stringify({healthPort: 0, session: 'deep', tmuxSocket: outer.tmux.socket, agents: [{name: 'w1', command: 'sleep 600'}]}));
	const project = {...outer, root: deep, socketFile: path.join(deep, '.cmux', 'cmux.sock'), dbFile: path.join(deep, '.cmux', 'cmux.db'),
		cli: async (args: string[]) => runCli([...args, '--project', deep], {cwd: deep, timeout: 60_000})};
	const run = await startOrchestrator(project);
	try {
		t.true(fs.lstatSync(project.socketFile).isSymbolicLink());
		t.is(fs.statSync(project.socketFile).mode & 0o777, 0o600);
		await run.mark();
		t.is((await project.cli(['beat', 'w1'])).exitCode, 0);
	} finally {
		await run.stop();
	}

	t.throws(() => fs.lstatSync(project.socketFile), {code: 'ENOENT'});
	await outer.cleanup();
});
