import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {execa} from 'execa';
import {cliPath} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

const writerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'writer.js');
const every = 25;

/*
 * 16 concurrent writer processes: 12 node processes calling appendMessage 1,000 times each,
 * 2 shells appending 1,000 lines each with a plain `echo >>` (no lock), and 2 shells running
 * `cmux-tui send` 50 times each (a node process per message is too slow for more on 2 cores).
 * Every 25th message goes into one of 4 echo agents, the rest to `user`.
 */
test.serial('16 concurrent writers are ingested once each, in per-sender order, and delivered once', async t => {
	const box = await mailboxHarness();
	try {
		const logs = await Promise.all([0, 1, 2, 3].map(async index => box.agent(`e${index}`)));
		await box.start();
		const file = box.paths.mailboxFile;
		const expected = new Map<string, number>();
		const writers = [];
		for (let index = 0; index < 12; index++) {
			expected.set(`n${index}`, 1000);
			writers.push(execa(process.execPath, [writerScript, file, `n${index}`, '1000', String(every)], {stdin: 'ignore'}));
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
			const subjects = (db.prepare('SELECT subject FROM messages WHERE from_addr = ? ORDER BY seq').all(name) as Array<{subject: string}>).map(row => row.subject);
			t.deepEqual(subjects, Array.from({length: count}, (_, index) => `${name} ${index}`), `${name} ingested in order`);
		}

		const toAgents = (db.prepare(`SELECT to_addr AS "to", from_addr AS "from", subject FROM messages WHERE to_addr != 'user' ORDER BY seq`).all() as Array<{to: string; from: string; subject: string}>);
		for (const [index, log] of logs.entries()) {
			const received = box.received(log);
			t.deepEqual(received, toAgents.filter(row => row.to === `e${index}`).map(row => `[${row.from}] ${row.subject}`), `e${index} got each of its messages once, in order`);
		}
	} finally {
		await box.cleanup();
	}
});
