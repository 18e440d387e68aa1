import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import test from 'ava';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {Store} from '../../../source/core/store/store.js';
import {cliPath, fixturesDir} from '../../helpers/paths.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {counterCounts, fullCounts} from './counts.js';

test.serial('the counters equal a full count after a kill -9 of a real orchestrator under load', async t => {
	const echo = `${process.execPath} ${path.join(fixturesDir, 'agents', 'echo-agent.js')}`;
	const project = makeProject({
		healthPort: 0,
		agents: [{name: 'e0', command: echo, prompt: 'PROMPT> $'}, {name: 'e1', command: echo, prompt: 'PROMPT> $'}],
		logs: [{path: 'logs/app.log', cooldown: '200ms'}],
		mailbox: {maxAttempts: 2, retryBase: '20ms', retryMax: '50ms'},
	});
	const tmux = privateTmux('counters');
	const log = path.join(project.root, 'logs', 'app.log');
	fs.mkdirSync(path.dirname(log), {recursive: true});
	fs.writeFileSync(log, '');
	const child = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json'], {
		cwd: project.root, env: {NO_COLOR: '1', CMUX_TMUX_SOCKET: tmux.socket}, reject: false, stdin: 'ignore',
	});
	const types: string[] = [];
	readline.createInterface({input: child.stdout!}).on('line', line => {
		types.push(String((JSON.parse(line) as {type: string}).type));
	});
	let writing = true;
	try {
		await waitFor(() => types.includes('orchestrator.started'), {what: 'the orchestrator to start', timeout: 20_000});
		const mailbox = path.join(project.root, '.cmux', 'mailbox');
		// Keeps writing until after the kill, so the orchestrator dies in the middle of work.
		const writer = (async () => {
			for (let index = 0; writing && index < 20_000; index++) {
				const to = ['e0', 'e1', 'user', 'ghost'][index % 4]!;
				await appendMessage(mailbox, {from: 'load', to, subject: `m ${index}`});
				if (index % 10 === 0) {
					fs.appendFileSync(log, `ERROR number ${index}\n`);
				}
			}
		})();
		const db = new Database(path.join(project.root, '.cmux', 'cmux.db'), {readonly: true});
		try {
			const counted = (state: string) => (db.prepare('SELECT count(*) AS n FROM messages WHERE state = ?').get(state) as {n: number}).n;
			await waitFor(() => counted('delivered') >= 30 && counted('dead') >= 3 && types.includes('log.alert'), {what: 'deliveries, dead letters and alerts', timeout: 60_000});
		} finally {
			db.close();
		}

		child.kill('SIGKILL');
		await child;
		writing = false;
		await writer;
		const store = Store.open(path.join(project.root, '.cmux', 'cmux.db'));
		try {
			t.is(store.integrityCheck(), 'ok');
			const full = fullCounts(store);
			t.true((full.messages.delivered ?? 0) >= 30 && (full.alerts[''] ?? 0) >= 1);
			t.deepEqual(counterCounts(store), full);
		} finally {
			store.close();
		}
	} finally {
		writing = false;
		child.kill('SIGKILL');
		await child;
		await tmux.kill();
		project.cleanup();
	}
});
