import test from 'ava';
import {runCli} from '../../helpers/project.js';
import {alive, serverProject, stranger} from './server-helpers.js';

test.serial('server start, status and stop from the command line', async t => {
	const fixture = await serverProject({WORKERS: '1'});
	try {
		const started = await runCli(['server', 'start', '--json'], {cwd: fixture.root});
		t.is(started.exitCode, 0, String(started.stderr));
		const pids = await fixture.pids();
		const status = await runCli(['server', 'status', '--json'], {cwd: fixture.root});
		t.is(status.exitCode, 0);
		t.like(JSON.parse(String(status.stdout)), {running: true, pid: JSON.parse(String(started.stdout)).pid});
		const stopped = await runCli(['server', 'stop'], {cwd: fixture.root});
		t.is(stopped.exitCode, 0, String(stopped.stderr));
		t.deepEqual(alive(pids), []);
		t.is((await runCli(['server', 'status'], {cwd: fixture.root})).exitCode, 1);
	} finally {
		await fixture.cleanup();
	}
});

test.serial('server start names the stranger holding the port and exits 1', async t => {
	const fixture = await serverProject();
	const holder = await stranger(fixture.port);
	try {
		const result = await runCli(['server', 'start'], {cwd: fixture.root});
		t.is(result.exitCode, 1);
		t.regex(String(result.stderr), new RegExp(`^cmux-tui: port ${fixture.port} is held by pid ${holder.pid} `));
		t.deepEqual(alive([holder.pid!]), [holder.pid]);
		const doctor = await runCli(['doctor'], {cwd: fixture.root});
		t.regex(String(doctor.stdout), /FAIL server port: .* not by cmux-tui/);
	} finally {
		holder.kill('SIGKILL');
		await fixture.cleanup();
	}
});
