import {spawn, type ChildProcess} from 'node:child_process';
import test from 'ava';
import {processesWithCookie, processesWithCookieYielding} from '../../../source/core/process/cookie.js';
import {eachYielding, environmentValue, isAlive, listProcesses, listProcessesYielding, startOf} from '../../../source/core/process/table.js';

/** A real `sleep` with exactly the environment `env` (nothing inherited). */
function sleeper(env: Record<string, string>): ChildProcess {
	return spawn('sleep', ['60'], {stdio: 'ignore', env: {PATH: process.env.PATH ?? '/usr/bin:/bin', ...env}});
}

test('an environment value is found first, in the middle and last, past a large environment, and only as a whole name', async t => {
	// 100 KB before the variable: the read buffer grows beyond its first size to reach it.
	const large = Object.fromEntries(Array.from({length: 100}, (_, index) => [`FILLER_${index}`, 'x'.repeat(1000)]));
	const children = [
		sleeper({CMUX_COOKIE: 'first'}),
		sleeper({A: '1', CMUX_COOKIE: 'middle', B: '2'}),
		sleeper({...large, CMUX_COOKIE: 'after 100 KB'}),
		// Names that contain or end with the name, and a value that holds `NAME=`, are not the variable.
		sleeper({CMUX_COOKIE_OLD: 'no', XCMUX_COOKIE: 'no', NOTE: 'CMUX_COOKIE=no'}),
		sleeper({CMUX_COOKIE: ''}),
	];
	try {
		const values = children.map(child => environmentValue(child.pid!, 'CMUX_COOKIE'));
		t.deepEqual(values, ['first', 'middle', 'after 100 KB', undefined, '']);
		t.is(environmentValue(children[1]!.pid!, 'B'), '2', 'the last entry');
		t.is(environmentValue(children[3]!.pid!, 'NOTE'), 'CMUX_COOKIE=no');
	} finally {
		for (const child of children) {
			child.kill('SIGKILL');
		}
	}
});

test('a process that is gone has no environment, no start and is not alive', async t => {
	const child = sleeper({CMUX_COOKIE: 'gone'});
	const pid = child.pid!;
	t.true(isAlive(pid));
	t.truthy(startOf(pid));
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGKILL');
	await exited;
	t.false(isAlive(pid));
	t.is(startOf(pid), undefined);
	t.is(environmentValue(pid, 'CMUX_COOKIE'), undefined);
});

test('the yielding scans find what the blocking ones find', async t => {
	const cookie = `table-test-${process.pid}`;
	const children = [sleeper({CMUX_COOKIE: cookie}), sleeper({CMUX_COOKIE: cookie}), sleeper({CMUX_COOKIE: `${cookie}-other`})];
	try {
		const blocking = new Map(listProcesses().map(row => [row.pid, row]));
		const yielding = await listProcessesYielding();
		for (const child of children) {
			t.deepEqual(yielding.find(row => row.pid === child.pid), blocking.get(child.pid!));
		}

		const expected = children.slice(0, 2).map(child => child.pid).sort();
		t.deepEqual(processesWithCookie(cookie).map(row => row.pid).sort(), expected);
		t.deepEqual((await processesWithCookieYielding(cookie)).map(row => row.pid).sort(), expected);
		t.deepEqual((await processesWithCookieYielding(value => value.startsWith(cookie))).map(row => row.cookie).sort(), [cookie, cookie, `${cookie}-other`]);
	} finally {
		for (const child of children) {
			child.kill('SIGKILL');
		}
	}
});

test('a long scan lets the event loop run between its slices', async t => {
	let immediateRan = false;
	const seen: boolean[] = [];
	setImmediate(() => {
		immediateRan = true;
	});
	// Each visit holds the thread for 1 ms: five of them are more than one slice.
	await eachYielding([1, 2, 3, 4, 5], () => {
		seen.push(immediateRan);
		const until = performance.now() + 1;
		while (performance.now() < until) {
			// Busy, as a /proc read of a slow machine is.
		}
	});
	t.false(seen[0], 'the first visit runs at once');
	t.true(seen.at(-1), 'a callback queued before the scan ran before its end');
});
