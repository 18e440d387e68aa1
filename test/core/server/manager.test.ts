import test from 'ava';
import {StateError} from '../../../source/core/errors.js';
import {portHolders} from '../../../source/core/server/port-owner.js';
import {readRecord} from '../../../source/core/server/record.js';
import {probeUrl} from '../../../source/core/server/probe.js';
import {alive, serverProject, stranger} from './server-helpers.js';

test.serial('a sigterm-ignoring server with workers and a daemon is stopped completely', async t => {
	const project = await serverProject({IGNORE_SIGTERM: '1', WORKERS: '2', DAEMON: '1'});
	try {
		await project.manager.start();
		const pids = await project.pids();
		t.is(pids.length, 4);
		t.deepEqual(alive(pids), pids);
		const result = await project.manager.stop();
		t.deepEqual(alive(pids), []);
		t.deepEqual(result.survivors, []);
		t.true(result.portFree);
		t.deepEqual(portHolders(project.port), []);
		t.truthy(project.events.find(event => event.type === 'server.stopped'));
	} finally {
		await project.cleanup();
	}
});

test.serial('workers that do not hold the port are stopped with the parent that does', async t => {
	const project = await serverProject({WORKERS: '3'});
	try {
		await project.manager.start();
		const pids = await project.pids();
		t.deepEqual(portHolders(project.port).map(holder => holder.pid), [pids[0]]);
		await project.manager.stop();
		t.deepEqual(alive(pids), []);
	} finally {
		await project.cleanup();
	}
});

test.serial('a double-forked daemon that left the tree is found by its cookie and stopped', async t => {
	const project = await serverProject({DAEMON: '1'});
	try {
		await project.manager.start();
		const pids = await project.pids();
		const daemon = pids.at(-1)!;
		t.deepEqual(alive([daemon]), [daemon]);
		await project.manager.stop();
		t.deepEqual(alive(pids), []);
	} finally {
		await project.cleanup();
	}
});

test.serial('the server answers its health url once start resolves', async t => {
	const project = await serverProject();
	try {
		const {record, adopted} = await project.manager.start();
		t.false(adopted);
		t.is(readRecord(project.project.paths)?.pid, record.pid);
		t.true((await probeUrl(`http://127.0.0.1:${project.port}/health`, 2000)).ok);
		t.truthy(project.events.find(event => event.type === 'server.started'));
	} finally {
		await project.cleanup();
	}
});

test.serial('a stranger on the port refuses the start, is reported and stays alive', async t => {
	const project = await serverProject();
	const holder = await stranger(project.port);
	try {
		const error = await t.throwsAsync(project.manager.start(), {instanceOf: StateError});
		t.regex(error!.message, new RegExp(`port ${project.port} is held by pid ${holder.pid} \\(.*port-holder`));
		t.like(project.events.find(event => event.type === 'server.port_busy'), {port: project.port, pid: holder.pid});
		t.deepEqual(alive([holder.pid!]), [holder.pid]);
	} finally {
		holder.kill('SIGKILL');
		await project.cleanup();
	}
});

test.serial('stop never signals a stranger on the port', async t => {
	const project = await serverProject();
	const holder = await stranger(project.port);
	try {
		const result = await project.manager.stop();
		t.deepEqual(result.strangers.map(found => found.pid), [holder.pid]);
		t.false(result.portFree);
		t.deepEqual(alive([holder.pid!]), [holder.pid]);
		t.truthy(project.events.find(event => event.type === 'server.port_busy'));
	} finally {
		holder.kill('SIGKILL');
		await project.cleanup();
	}
});

test.serial('a second manager adopts the running server instead of starting another', async t => {
	const project = await serverProject();
	try {
		const first = await project.manager.start();
		const {ServerManager} = await import('../../../source/core/server/manager.js');
		const second = new ServerManager({config: project.project.config.server!, paths: project.project.paths, emit() {}});
		const again = await second.start();
		t.true(again.adopted);
		t.is(again.record.pid, first.record.pid);
		t.is(project.events.filter(event => event.type === 'server.started').length, 1);
	} finally {
		await project.cleanup();
	}
});

test.serial('a server that exits before it is ready fails the start with its output', async t => {
	const project = await serverProject({EXIT_AFTER_MS: '50', START_DELAY_MS: '2000'});
	try {
		const error = await t.throwsAsync(project.manager.start(), {instanceOf: StateError});
		t.regex(error!.message, /did not become ready: it exited/);
		t.is(readRecord(project.project.paths), undefined);
	} finally {
		await project.cleanup();
	}
});
