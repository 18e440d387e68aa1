import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {acquirePidLock, runningOrchestrator} from '../../source/core/pid-lock.js';
import {startOf} from '../../source/core/process/table.js';

function tempFile(): {file: string; cleanup: () => void} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-pid-'));
	return {file: path.join(dir, 'orchestrator.pid'), cleanup: () => fs.rmSync(dir, {recursive: true, force: true})};
}

test('the lock records pid and start time and is released', t => {
	const {file, cleanup} = tempFile();
	const release = acquirePidLock(file);
	t.is(fs.readFileSync(file, 'utf8'), `${process.pid} ${startOf(process.pid)}\n`);
	t.is(runningOrchestrator(file), process.pid);
	release();
	t.false(fs.existsSync(file));
	cleanup();
});

test('a pid reused by another process after a crash is not taken for the orchestrator', t => {
	const {file, cleanup} = tempFile();
	// Our own (live) pid, but a start time that is not ours: the writer is gone and its pid was reused.
	fs.writeFileSync(file, `${process.ppid} 1\n`);
	t.is(runningOrchestrator(file), undefined);
	const release = acquirePidLock(file);
	t.is(runningOrchestrator(file), process.pid);
	release();
	cleanup();
});

test('a live orchestrator holding the lock refuses a second one', t => {
	const {file, cleanup} = tempFile();
	fs.writeFileSync(file, `${process.ppid} ${startOf(process.ppid)}\n`);
	t.throws(() => acquirePidLock(file), {message: new RegExp(`already running for this project \\(pid ${process.ppid}\\)`)});
	cleanup();
});
