import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import test from 'ava';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import {Store} from '../../../source/core/store/store.js';
import {cliPath} from '../../helpers/paths.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';
import {append, startWatch, tempProject} from './harness.js';

/** `cmux-tui run --no-ui --json` in `root`; its NDJSON events are collected in `events`. */
function startRun(root: string, socket: string) {
	const child = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json'], {
		cwd: root, env: {NO_COLOR: '1', CMUX_TMUX_SOCKET: socket}, reject: false, stdin: 'ignore',
	});
	const events: Array<Record<string, unknown>> = [];
	readline.createInterface({input: child.stdout!}).on('line', line => {
		try {
			events.push(JSON.parse(line) as Record<string, unknown>);
		} catch {}
	});
	return {child, events, alerts: () => events.filter(event => event.type === 'log.alert')};
}

test.serial('matches counted in an open window survive a kill -9 and are reported after the restart', async t => {
	const project = tempProject();
	const tmux = privateTmux('crash');
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	fs.writeFileSync(path.join(project.root, '.cmux', 'config.json'), JSON.stringify({healthPort: 0, logs: [{path: 'logs/app.log', cooldown: '5s'}]}));
	const runs: Array<ReturnType<typeof startRun>> = [];
	try {
		const first = startRun(project.root, tmux.socket);
		runs.push(first);
		await waitFor(() => first.events.some(event => event.type === 'orchestrator.started'), {what: 'the first run to start', timeout: 15_000});
		const db = new Database(path.join(project.root, '.cmux', 'cmux.db'), {readonly: true});
		const offset = () => (db.prepare('SELECT offset FROM ingest_offsets WHERE source = ?').get('log:logs/app.log') as {offset: number} | undefined)?.offset;
		try {
			// `orchestrator.started` comes before the services start: the watcher is up once it has
			// stored where it starts reading (a line written before that is not new to it).
			await waitFor(() => offset() !== undefined, {what: 'the watcher to start'});
			append(log, 'ERROR first\n');
			await waitFor(() => first.alerts().length === 1, {what: 'the first alert'});
			append(log, 'ERROR two\nINFO fine\nERROR three\nERROR four\n');
			const size = fs.statSync(log).size;
			await waitFor(() => offset() === size, {what: 'the matches to be read'});
		} finally {
			db.close();
		}

		first.child.kill('SIGKILL');
		await first.child;
		t.deepEqual(first.alerts().map(alert => alert.count), [1]);

		const second = startRun(project.root, tmux.socket);
		runs.push(second);
		const alert = await waitFor(() => second.alerts().find(alert => alert.count === 3), {what: 'the window report after the restart', timeout: 15_000});
		t.deepEqual(alert.sample, ['ERROR two', 'ERROR three', 'ERROR four']);
		t.is(second.alerts().filter(alert => alert.count === 3).length, 1);
	} finally {
		for (const run of runs) {
			run.child.kill('SIGKILL');
			await run.child;
		}

		await tmux.kill();
		project.cleanup();
	}
});

/** A project whose store holds a window of logs/app.log that ended a minute ago with two matches counted, and `openGroup` if given. */
function withEndedWindow(openGroup?: string[]) {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const store = Store.open(path.join(project.root, '.cmux', 'cmux.db'));
	const now = Date.now();
	store.alertWindows.save('log:logs/app.log', {state: {endsAt: now - 60_000, pending: {count: 2, matches: [['ERROR a'], ['ERROR b']], firstAt: now - 70_000, lastAt: now - 65_000}}, ...(openGroup ? {openGroup} : {})});
	store.close();
	return {project, log};
}

test.serial('a persisted window that already ended is reported at once on start', async t => {
	const {project, log} = withEndedWindow();
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log', cooldown: '1h'}]});
	try {
		await waitFor(() => watch.alerts().length === 1, {what: 'the restored report'});
		t.like(watch.alerts()[0], {file: 'logs/app.log', count: 2, sample: ['ERROR a']});
		// The report opened the next window: a new match is counted, not reported at once.
		append(log, 'ERROR c\n');
		await waitFor(() => (watch.store.db.prepare('SELECT count FROM alert_windows').get() as {count: number} | undefined)?.count === 1, {what: 'the match to be counted'});
		t.is(watch.alerts().length, 1);
		await waitFor(() => (watch.store.db.prepare('SELECT count(*) AS n FROM alert_outbox').get() as {n: number}).n === 0, {what: 'the outbox to empty'});
		await watch.stop();
		t.deepEqual(watch.alerts().map(alert => alert.count), [2, 1]);
		const db = new Database(path.join(project.root, '.cmux', 'cmux.db'), {readonly: true});
		const left = db.prepare('SELECT (SELECT count(*) FROM alert_windows) + (SELECT count(*) FROM alert_outbox) AS n').get() as {n: number};
		db.close();
		t.is(left.n, 0);
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test.serial('a group still open at the crash is counted in its persisted window, though that window ended meanwhile', async t => {
	// The process died 8 ms after reading `ERROR c` (the wait for a traceback's next line), and restarted after the window's end.
	const {project} = withEndedWindow(['ERROR c']);
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log', cooldown: '1h'}]});
	try {
		await waitFor(() => watch.alerts().length === 1, {what: 'the restored report'});
		t.like(watch.alerts()[0], {file: 'logs/app.log', count: 3, sample: ['ERROR a']});
		await watch.stop();
		t.deepEqual(watch.alerts().map(alert => alert.count), [3], 'one report of three, not two now and one later');
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test.serial('a persisted window still open goes on for its remaining time', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const store = Store.open(path.join(project.root, '.cmux', 'cmux.db'));
	const now = Date.now();
	store.alertWindows.save('log:logs/app.log', {state: {endsAt: now + 1500, pending: {count: 1, matches: [['ERROR a']], firstAt: now - 100, lastAt: now - 100}}});
	store.close();
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log', cooldown: '1h'}]});
	try {
		append(log, 'ERROR b\n');
		await waitFor(() => watch.alerts().length === 1, {what: 'the window report', timeout: 10_000});
		t.like(watch.alerts()[0], {count: 2, sample: ['ERROR a']});
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test.serial('an alert stored in the outbox but not confirmed written is raised again on start', async t => {
	const project = tempProject();
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const store = Store.open(path.join(project.root, '.cmux', 'cmux.db'));
	store.db.prepare('INSERT INTO alert_outbox (source, batch, created_at) VALUES (?, ?, ?)')
		.run('log:logs/app.log', JSON.stringify({count: 1, matches: [['ERROR lost']], firstAt: Date.now(), lastAt: Date.now()}), new Date().toISOString());
	store.close();
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log'}]});
	try {
		await waitFor(() => watch.alerts().length === 1, {what: 'the replayed alert'});
		t.like(watch.alerts()[0], {count: 1, sample: ['ERROR lost']});
		await waitFor(() => (watch.store.db.prepare('SELECT count(*) AS n FROM alert_outbox').get() as {n: number}).n === 0, {what: 'the outbox to empty'});
		t.pass();
	} finally {
		await watch.stop();
		project.cleanup();
	}
});
