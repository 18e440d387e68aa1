import test from 'ava';
import {execa, type ResultPromise} from 'execa';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {deliveryText} from '../../../source/core/mailbox/render.js';
import {Store} from '../../../source/core/store/store.js';
import {cliPath} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

/** Put a message in `delivering` as a crashed orchestrator would have left it, with its pane mark. */
async function leaveDelivering(box: Awaited<ReturnType<typeof mailboxHarness>>, id: string, subject: string, pane?: string) {
	const [row] = (await box.tmux.run(['list-panes', '-t', 'cmux:=worker-1', '-F', '#{pane_id} #{history_size} #{cursor_y} #{history_limit}'])).split('\n');
	const [paneId, history, cursor, limit] = row!.split(' ');
	const mark = {pane: pane ?? paneId, row: Number(history) + Number(cursor), historyLimit: Number(limit)};
	box.store().db.prepare(`INSERT INTO messages (id, ts, from_addr, to_addr, subject, state, attempts, delivery_mark) VALUES (?, ?, 'sup', 'worker-1', ?, 'delivering', 0, ?)`)
		.run(id, new Date().toISOString(), subject, JSON.stringify(mark));
	return paneId!;
}

test.serial('a delivering message whose text is stuck on the input line is confirmed with enter, not typed again', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		const pane = await leaveDelivering(box, 'c1', 'crashed before enter');
		await box.tmux.run(['send-keys', '-t', pane, '-l', deliveryText({from: 'sup', subject: 'crashed before enter'}, box.root)]);
		await box.restart();
		await box.waitState('c1', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] crashed before enter']);
		t.like(box.state('c1'), {maybeDuplicate: 0});
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message already in the pane is confirmed without sending it again', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		const pane = await leaveDelivering(box, 'c2', 'crashed after enter');
		await box.tmux.run(['send-keys', '-t', pane, '-l', '[sup] crashed after enter']);
		await box.tmux.run(['send-keys', '-t', pane, 'Enter']);
		await waitFor(() => box.received(log).length >= 1);
		await box.restart();
		await box.waitState('c2', 'delivered');
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});
		t.deepEqual(box.received(log), ['[sup] crashed after enter']);
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message not yet in the pane is sent again without a duplicate flag', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		await leaveDelivering(box, 'c3', 'crashed before typing');
		await box.restart();
		await box.waitState('c3', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] crashed before typing']);
		t.like(box.state('c3'), {maybeDuplicate: 0});
	} finally {
		await box.cleanup();
	}
});

test.serial('a delivering message whose pane is gone is retried and flagged as a possible duplicate', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await box.stop();
		await leaveDelivering(box, 'c4', 'pane vanished', '%999');
		await box.restart();
		await box.waitState('c4', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] pane vanished']);
		t.like(box.state('c4'), {maybeDuplicate: 1});
	} finally {
		await box.cleanup();
	}
});

test.serial('kill -9 of the orchestrator during a stream loses nothing and ingests every line once', async t => {
	const agents = ['a1', 'a2', 'a3'];
	const box = await mailboxHarness({mailbox: {retryBase: '20ms', retryMax: '200ms', maxAttempts: 1000}});
	const config = {healthPort: 0, session: 'cmux', mailbox: {retryBase: '20ms', retryMax: '200ms', maxAttempts: 1000}};
	const fs = await import('node:fs');
	fs.writeFileSync(box.paths.configFile, JSON.stringify({...config, tmuxSocket: box.tmux.socket}));
	let child: ResultPromise | undefined;
	const startOrchestrator = () => {
		child = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json'], {cwd: box.root, env: {NO_COLOR: '1'}, reject: false, stdin: 'ignore', buffer: false, stdout: 'ignore', stderr: 'ignore'});
	};

	try {
		const logs = Object.fromEntries(await Promise.all(agents.map(async name => [name, await box.agent(name)] as const)));
		startOrchestrator();
		const total = 300;
		const expected: Record<string, string[]> = {a1: [], a2: [], a3: []};
		const writing = (async () => {
			for (let index = 0; index < total; index++) {
				const to = agents[index % agents.length]!;
				expected[to]!.push(`[w] msg ${index}`);
				await appendMessage(box.paths.mailboxFile, {id: `k${index}`, from: 'w', to, subject: `msg ${index}`});
				await new Promise(resolve => {
					setTimeout(resolve, 4);
				});
			}
		})();
		for (let kill = 0; kill < 5; kill++) {
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
			for (const name of agents) {
				const received = box.received(logs[name]!);
				const firsts = received.filter((line, index) => received.indexOf(line) === index);
				t.deepEqual(firsts, expected[name], `${name} got every message in order`);
				const repeated = received.filter((line, index) => received.indexOf(line) !== index);
				t.deepEqual(repeated.filter(line => !flagged.has(line)), [], `${name}: only messages flagged maybe_duplicate may repeat`);
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
