import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {killTree, type KillTreeResult} from '../../../source/core/process/kill-tree.js';
import {isAlive} from '../../../source/core/process/table.js';
import {FakeClock} from '../../helpers/fake-clock.js';
import {fixturesDir} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';

const stubborn = path.join(fixturesDir, 'agents', 'stubborn-agent.js');

/** The stubborn fixture, once it has written its pid file (its SIGTERM handler is installed by then). */
async function stubbornProcess() {
	const pidFile = path.join(os.tmpdir(), `kill-tree-${process.pid}-${Date.now()}.pid`);
	const child = spawn(process.execPath, [stubborn], {stdio: 'ignore', env: {...process.env, PID_FILE: pidFile}});
	await waitFor(() => fs.existsSync(pidFile), {what: 'the pid file'});
	fs.rmSync(pidFile);
	return child;
}

test.serial('sigkill comes only once the grace is over and only once', async t => {
	// A real process that ignores SIGTERM, time on a fake clock: the grace is exact whatever the load.
	const child = await stubbornProcess();
	const pid = child.pid!;
	const clock = new FakeClock();
	const started = clock.now();
	const signals: Array<{signal: NodeJS.Signals; at: number}> = [];
	let result: KillTreeResult | undefined;
	try {
		const done = killTree({
			roots: [pid], grace: 300, killWait: 1000, clock,
			signal(target, signal) {
				t.is(target, pid, 'only the root is signalled');
				signals.push({signal, at: clock.now() - started});
				process.kill(target, signal);
			},
		}).then(value => {
			result = value;
		});
		// Each step: wait until killTree sleeps on the clock (or is done), then move time to its wake-up.
		while (!result) {
			await waitFor(() => result ?? clock.pending().length > 0, {interval: 1, what: 'killTree to wait on the clock'});
			if (!result) {
				const next = clock.pending()[0]!;
				if (clock.now() - started + next < 300) {
					t.true(isAlive(pid), 'alive during the grace');
				}

				clock.advance(next);
			}
		}

		await done;
		// One SIGTERM at once (a second one is "force quit" to many programs), one SIGKILL when the grace is over.
		t.deepEqual(signals, [{signal: 'SIGTERM', at: 0}, {signal: 'SIGKILL', at: 300}]);
		t.deepEqual(result.killed, [pid]);
		t.deepEqual(result.survivors, []);
		t.true(result.ms >= 300);
		t.false(isAlive(pid));
	} finally {
		child.kill('SIGKILL');
	}
});

test.serial('with force sigkill comes at once', async t => {
	const child = await stubbornProcess();
	const pid = child.pid!;
	const clock = new FakeClock();
	const signals: NodeJS.Signals[] = [];
	try {
		const done = killTree({
			roots: [pid], grace: 60_000, force: true, clock,
			signal(target, signal) {
				signals.push(signal);
				process.kill(target, signal);
			},
		});
		let result: KillTreeResult | undefined;
		void done.then(value => {
			result = value;
		});
		while (!result) {
			await waitFor(() => result ?? clock.pending().length > 0, {interval: 1});
			if (!result) {
				clock.advance(clock.pending()[0]!);
			}
		}

		t.deepEqual(signals, ['SIGKILL']);
		t.true(result.ms < 1000);
		t.false(isAlive(pid));
	} finally {
		child.kill('SIGKILL');
	}
});
