import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa, type ResultPromise} from 'execa';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {Store} from '../../../source/core/store/store.js';
import {cliPath} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';
import {echoAgent, mailboxHarness} from './harness.js';

const writerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'writer.js');
const every = 25;

// The two heavy tests share this file so that they run one after the other, never side by side.

/*
 * 16 concurrent writer processes: 12 node processes calling appendMessage 1,000 times each,
 * 2 shells appending 1,000 lines each with a plain `echo >>` (no lock), and 2 shells running
 * `cmux-tui send` 50 times each (a node process per message is too slow for more on 2 cores).
 * Every 25th message goes into one of 4 echo agents, the rest to `user`.
 */
test.serial('16 concurrent writers are ingested once each, in per-sender order, and delivered once', async t => {
	// The test's own flock file, for the node writers and `send` alike (see writer.ts).
	const lockFile = path.join(os.tmpdir(), `cmux-load-${process.pid}.lock`);
	const box = await mailboxHarness({mailbox: {lockFile}});
	try {
		const logs = await Promise.all([0, 1, 2, 3].map(async index => box.agent(`e${index}`)));
		await box.start();
		const file = box.paths.mailboxFile;
		const expected = new Map<string, number>();
		const writers = [];
		for (let index = 0; index < 12; index++) {
			expected.set(`n${index}`, 1000);
			writers.push(execa(process.execPath, [writerScript, file, `n${index}`, '1000', String(every), lockFile], {stdin: 'ignore'}));
		}

		for (let index = 0; index < 2; index++) {
			const name = `sh${index}`;
			expected.set(name, 1000);
			const script = `for i in $(seq 0 999); do if [ $((i % ${every})) -eq 0 ]; then to=e$(( (i / ${every}) % 4 )); else to=user; fi; echo "{\\"id\\":\\"${name}-$i\\",\\"from\\":\\"${name}\\",\\"to\\":\\"$to\\",\\"subject\\":\\"${name} $i\\"}" >> "$1"; done`;
			writers.push(execa('sh', ['-c', script, 'sh', file], {stdin: 'ignore'}));
		}

		for (let index = 0; index < 2; index++) {
			const name = `send${index}`;
			expected.set(name, 50);
			const script = `for i in $(seq 0 49); do if [ $((i % 5)) -eq 0 ]; then to=e$(( i % 4 )); else to=user; fi; "$2" "$3" send "$to" "${name} $i" --from ${name} --project "$4" || exit 1; done`;
			writers.push(execa('sh', ['-c', script, 'sh', file, process.execPath, cliPath, box.root], {stdin: 'ignore'}));
		}

		await Promise.all(writers);
		const total = [...expected.values()].reduce((sum, count) => sum + count, 0);
		const db = box.store().db;
		await waitFor(() => (db.prepare(`SELECT count(*) AS n FROM messages WHERE state = 'delivered'`).get() as {n: number}).n === total, {timeout: 90_000, what: `${total} messages delivered`});
		t.is((db.prepare('SELECT count(*) AS n FROM messages').get() as {n: number}).n, total);
		t.is(box.events.filter(event => event.type === 'message.rejected').length, 0);
		for (const [name, count] of expected) {
			// `cmux-tui send` writes CMUX's `cmux:NAME` form; the other writers bare names.
			const subjects = (db.prepare('SELECT subject FROM messages WHERE from_addr IN (?, ?) ORDER BY seq').all(name, `cmux:${name}`) as Array<{subject: string}>).map(row => row.subject);
			t.deepEqual(subjects, Array.from({length: count}, (_, index) => `${name} ${index}`), `${name} ingested in order`);
		}

		const toAgents = (db.prepare(`SELECT to_addr AS "to", from_addr AS "from", subject FROM messages WHERE to_addr != 'user' ORDER BY seq`).all() as Array<{to: string; from: string; subject: string}>)
			.map(row => ({...row, to: row.to.replace(/^cmux:/, '')}));
		await waitFor(() => logs.every((log, index) => box.received(log).length >= toAgents.filter(row => row.to === `e${index}`).length), {what: 'echo logs written'});
		for (const [index, log] of logs.entries()) {
			const received = box.received(log).map(line => line.replace(/^\[cmux:/, '['));
			t.deepEqual(received, toAgents.filter(row => row.to === `e${index}`).map(row => `[${row.from.replace(/^cmux:/, '')}] ${row.subject}`), `e${index} got each of its messages once, in order`);
		}
	} finally {
		await box.cleanup();
		fs.rmSync(lockFile, {force: true});
	}
});

/**
 * `batched`: the agents are line-based agents of the config (kind generic, no prompt), so bursts go
 * into a pane several messages per command line, and the kills land in the middle of batches too.
 */
const killDuringStream = test.macro(async (t, batched: boolean) => {
	const agents = ['a1', 'a2', 'a3'];
	const box = await mailboxHarness({mailbox: {retryBase: '20ms', retryMax: '200ms', maxAttempts: 1000}});
	const logOf = (name: string) => path.join(box.root, `${name}.echo.log`);
	const configAgents = agents.map(name => ({name, command: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(echoAgent)}`, env: {ECHO_LOG: logOf(name)}, restart: 'never'}));
	const config = {healthPort: 0, session: 'cmux', mailbox: {retryBase: '20ms', retryMax: '200ms', maxAttempts: 1000}, ...(batched ? {agents: configAgents} : {})};
	fs.writeFileSync(box.paths.configFile, JSON.stringify({...config, tmuxSocket: box.tmux.socket}));
	let child: ResultPromise | undefined;
	const eventsFile = `${box.root}/events.ndjson`;
	const startOrchestrator = () => {
		child = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json'], {cwd: box.root, env: {NO_COLOR: '1'}, reject: false, stdin: 'ignore', buffer: false, stdout: {file: eventsFile, append: true}, stderr: 'ignore'});
	};

	try {
		const logs = batched ? Object.fromEntries(agents.map(name => [name, logOf(name)] as const)) : Object.fromEntries(await Promise.all(agents.map(async name => [name, await box.agent(name)] as const)));
		startOrchestrator();
		if (batched) {
			await waitFor(async () => (await box.tmux.run(['list-windows', '-t', 'cmux', '-F', '#{window_name}'])).split('\n').filter(name => agents.includes(name)).length === agents.length, {what: 'the agents started'});
		}

		const total = 300;
		const expected: Record<string, string[]> = {a1: [], a2: [], a3: []};
		const writing = (async () => {
			// Batched: bursts of 12 lines in one write, 4 to each agent, so its queue has several at once.
			const burst = batched ? 12 : 1;
			for (let index = 0; index < total; index += burst) {
				const lines = [];
				for (let next = index; next < Math.min(total, index + burst); next++) {
					const to = agents[next % agents.length]!;
					expected[to]!.push(`[w] msg ${next}`);
					lines.push(`${JSON.stringify({id: `k${next}`, from: 'w', to, subject: `msg ${next}`})}\n`);
				}

				if (batched) {
					fs.appendFileSync(box.paths.mailboxFile, lines.join(''));
				} else {
					await appendMessage(box.paths.mailboxFile, {id: `k${index}`, from: 'w', to: agents[index % agents.length]!, subject: `msg ${index}`});
				}
				// Pacing, not a check: spreads the writes over the kills below so some land mid-restart.
				await new Promise(resolve => {
					setTimeout(resolve, 4 * burst);
				});
			}
		})();
		for (let kill = 0; kill < 5; kill++) {
			// Pacing, not a check: kill at a random moment of the stream; what is proved is checked after.
			await new Promise(resolve => {
				setTimeout(resolve, 150 + Math.floor(Math.random() * 450));
			});
			child!.kill('SIGKILL');
			await child;
			startOrchestrator();
		}

		await writing;
		const store = Store.open(box.paths.dbFile);
		try {
			await waitFor(() => (store.db.prepare(`SELECT count(*) AS n FROM messages WHERE state = 'delivered'`).get() as {n: number}).n === total, {timeout: 60_000, what: 'every message delivered'});
			t.is((store.db.prepare('SELECT count(*) AS n FROM messages').get() as {n: number}).n, total);
			t.deepEqual(store.db.prepare('SELECT offset, line FROM ingest_offsets').get(), {offset: fs.statSync(box.paths.mailboxFile).size, line: total});
			const flagged = new Set((store.db.prepare('SELECT subject FROM messages WHERE maybe_duplicate = 1').all() as Array<{subject: string}>).map(row => `[w] ${row.subject}`));
			await waitFor(() => agents.every(name => new Set(box.received(logs[name]!).filter(line => line !== '')).size >= expected[name]!.length), {what: 'echo logs written'});
			for (const name of agents) {
				const received = box.received(logs[name]!);
				const firsts = received.filter((line, index) => received.indexOf(line) === index);
				t.deepEqual(firsts, expected[name], `${name} got every message in order`);
				const repeated = received.filter((line, index) => received.indexOf(line) !== index);
				t.deepEqual(repeated.filter(line => !flagged.has(line)), [], `${name}: only messages flagged maybe_duplicate may repeat`);
				if (received.includes('')) {
					t.log(fs.readFileSync(eventsFile, 'utf8').split('\n').filter(line => /retry|recovered|started|stopping/.test(line)).join('\n'));
					t.log(fs.readFileSync(logs[name]!, 'utf8'));
				}
			}
		} finally {
			store.close();
		}
	} finally {
		child?.kill('SIGKILL');
		await child;
		await box.cleanup();
	}
});

test.serial('kill -9 of the orchestrator during a stream loses nothing and ingests every line once', killDuringStream, false);
test.serial('kill -9 of the orchestrator during bursts typed in batches loses nothing, ingests every line once and types none twice unflagged', killDuringStream, true);
