import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {waitFor} from '../../helpers/wait.js';
import {append, startWatch, tempProject} from './harness.js';

test('a matching line raises an alert with attachment, mailbox line, journal line and alerts row', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, 'ERROR before start is skipped\n');
	const watch = await startWatch(project.root, {agents: [{name: 'boss', command: 'sh', type: 'supervisor'}], logs: [{path: 'logs/app.log'}]});
	try {
		append(log, 'INFO fine\n2026-01-01 ERROR disk full\nINFO more\n');
		await waitFor(() => watch.alerts().length > 0, {what: 'log.alert'});
		const [alert] = watch.alerts();
		t.like(alert, {file: 'logs/app.log', count: 1, sample: ['2026-01-01 ERROR disk full']});
		t.true(fs.readFileSync(alert!.attachment, 'utf8').includes('2026-01-01 ERROR disk full'));
		t.regex(alert!.attachment, /journal\/\d{4}-\d\d-\d\d\/attachments\/log-alert-\d{6}(-\d+)?\.md$/);
		await waitFor(() => (watch.store.db.prepare('SELECT count(*) AS n FROM alerts').get() as {n: number}).n > 0, {what: 'the alerts row'});
		const row = watch.store.db.prepare('SELECT file, count, sample, attachment FROM alerts').get();
		t.deepEqual(row, {file: 'logs/app.log', count: 1, sample: '2026-01-01 ERROR disk full', attachment: alert!.attachment});
		const mail = fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
		t.is(mail.length, 1);
		t.like(mail[0], {from: 'system:log-watcher', to: 'boss', body: alert!.attachment});
		await waitFor(() => {
			const day = path.dirname(path.dirname(alert!.attachment));
			return fs.existsSync(path.join(day, 'journal.md')) && fs.readFileSync(path.join(day, 'journal.md'), 'utf8').includes(alert!.attachment);
		}, {what: 'the journal line'});
		t.pass();
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test('look-alike words never alert and ignore lines are dropped', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log'}]});
	try {
		append(log, 'state NO_ERROR\nERRORED once\ncall error_handler\nGET /health ERROR 200\nthe real ERROR\n');
		await waitFor(() => watch.alerts().length > 0);
		await watch.stop();
		t.is(watch.total(), 1);
		t.deepEqual(watch.alerts()[0]!.sample, ['the real ERROR']);
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test('matches inside the cooldown window are counted exactly and reported when it ends', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	// Long enough that a loaded machine still reads all seven inside the window.
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log', cooldown: '2s'}]});
	try {
		append(log, 'ERROR first\n');
		await waitFor(() => watch.alerts().length === 1, {what: 'the first alert'});
		append(log, Array.from({length: 7}, (_, index) => `ERROR again ${index + 1}\nINFO between\n`).join(''));

		await waitFor(() => watch.alerts().length === 2, {what: 'the window report'});
		t.deepEqual(watch.alerts().map(alert => alert.count), [1, 7]);
		t.is(watch.alerts()[1]!.sample[0], 'ERROR again 1');
		t.true(fs.readFileSync(watch.alerts()[1]!.attachment, 'utf8').includes('count: 7'));
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test('a traceback is one alert of its lines', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log'}]});
	try {
		append(log, 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: ERROR boom\n');
		await waitFor(() => watch.alerts().length > 0);
		t.like(watch.alerts()[0], {count: 1, sample: ['Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'ValueError: ERROR boom']});
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test('a restart resumes at the saved position without repeating or missing lines', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const config = {logs: [{path: 'logs/app.log', cooldown: '1h'}]};
	try {
		const first = await startWatch(project.root, config);
		append(log, 'ERROR one\nINFO x\n');
		await waitFor(() => first.alerts().length === 1);
		await first.stop();
		append(log, 'ERROR while down 1\nERROR while down 2\n');
		const second = await startWatch(project.root, config);
		append(log, 'INFO x\nERROR after\n');
		await waitFor(() => second.alerts().length === 1, {what: 'the first alert after restart'});
		await second.stop();
		t.deepEqual(second.alerts().map(alert => alert.count), [1, 2]);
		t.deepEqual(second.alerts()[0]!.sample, ['ERROR while down 1']);
		t.is(first.total() + second.total(), 4);
	} finally {
		project.cleanup();
	}
});

test('the managed server log is watched without being listed', async t => {
	const project = tempProject();
	const log = path.join(project.root, '.cmux', 'logs', 'server.log');
	fs.mkdirSync(path.dirname(log), {recursive: true});
	append(log, '');
	const watch = await startWatch(project.root, {server: {command: 'node x.js'}});
	try {
		append(log, 'CRITICAL server down\n');
		await waitFor(() => watch.alerts().length > 0);
		t.like(watch.alerts()[0], {file: '.cmux/logs/server.log', count: 1});
		const mail = JSON.parse(fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8')) as {to: string};
		t.is(mail.to, 'supervisor');
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test('the log to key names the recipient', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log', to: 'worker-2'}]});
	try {
		append(log, 'FAILED build\n');
		await waitFor(() => watch.alerts().length > 0);
		await watch.stop();
		const mail = JSON.parse(fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8')) as {to: string};
		t.is(mail.to, 'worker-2');
	} finally {
		await watch.stop();
		project.cleanup();
	}
});
