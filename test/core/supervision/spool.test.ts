import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {Store} from '../../../source/core/store/store.js';
import {HookIntake} from '../../../source/core/supervision/signals/hook-intake.js';
import {appendSpool, spoolFile} from '../../../source/core/supervision/signals/spool.js';
import {cliPath} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';

/** A temp project with a store, and an intake (rotating past `rotateBytes`) collecting each hook's number. */
function setup(t: {teardown(fn: () => void): void}, rotateBytes: number) {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-spool-')));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	const store = Store.open(path.join(root, '.cmux', 'cmux.db'));
	const seen: number[] = [];
	const intakes: HookIntake[] = [];
	const intake = () => {
		const created = new HookIntake({
			root, store, rotateBytes,
			apply(records) {
				seen.push(...records.map(record => Number(record.payload.session_id)));
			},
			committed() {},
			rejected(line, reason) {
				throw new Error(`line ${line} rejected: ${reason}`);
			},
			onError(error) {
				throw error;
			},
		});
		intakes.push(created);
		created.start();
		return created;
	};

	t.teardown(() => {
		for (const each of intakes) {
			each.stop();
		}

		store.close();
		fs.rmSync(root, {recursive: true, force: true});
	});
	const append = (n: number) => {
		appendSpool(root, {v: 1, agent: 'w1', kind: 'claude', ts: Date.now(), payload: {hook_event_name: 'PreToolUse', session_id: String(n)}});
	};

	return {root, store, seen, intake, append};
}

function exactlyOnce(seen: number[], count: number): string | undefined {
	const sorted = [...seen].sort((a, b) => a - b);
	const missing = Array.from({length: count}, (_, n) => n).filter(n => !sorted.includes(n));
	return sorted.length === count && sorted.every((n, index) => n === index) ? undefined : `saw ${seen.length} of ${count}, missing ${JSON.stringify(missing.slice(0, 20))}`;
}

test.serial('the spool is rotated once read to its end and every hook is taken in exactly once', async t => {
	const {root, seen, intake, append} = setup(t, 4000);
	const reader = intake();
	let n = 0;
	for (let round = 0; round < 40; round++) {
		for (let index = 0; index < 1 + (round % 7); index++) {
			append(n++);
		}

		reader.check();
	}

	// Hooks from other processes (the real `cmux-tui hook`) while the orchestrator reads and rotates.
	const children = Array.from({length: 6}, (_, index) => execa(process.execPath, [cliPath, 'hook', '--kind', 'claude'], {
		cwd: root, env: {CMUX_AGENT_NAME: 'w1', CMUX_PROJECT_ROOT: root}, input: JSON.stringify({hook_event_name: 'PreToolUse', session_id: String(n + index)}),
	}));
	for (let round = 0; round < 20; round++) {
		append(n + 6 + round);
		reader.check();
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}

	await Promise.all(children);
	n += 26;
	append(n++);
	await waitFor(() => {
		reader.check();
		return exactlyOnce(seen, n) === undefined;
	}, {timeout: 10_000, what: `every hook once (${exactlyOnce(seen, n) ?? ''})`});
	t.is(exactlyOnce(seen, n), undefined);
	t.true(fs.existsSync(`${spoolFile(root)}.1`), 'rotated');
	t.true(fs.statSync(spoolFile(root)).size < 4000 + 1000, 'the spool stays near its limit');
});

test.serial('a line a hook wrote into the spool as it was rotated, and again into the new one, is taken in once', async t => {
	const {root, seen, intake, append} = setup(t, 1024 * 1024);
	const reader = intake();
	append(0);
	reader.check();
	// The hook's write lands in the old file just before the rename; finding the file renamed after
	// its write, it writes the same line (same id) to the new file, as appendSpool does.
	const line = {v: 1 as const, agent: 'w1', kind: 'claude', ts: Date.now(), id: 'hook-1', payload: {hook_event_name: 'PreToolUse', session_id: '1'}};
	fs.appendFileSync(spoolFile(root), `${JSON.stringify(line)}\n`);
	fs.renameSync(spoolFile(root), `${spoolFile(root)}.1`);
	appendSpool(root, line);
	append(2);
	await waitFor(() => {
		reader.check();
		return seen.includes(2);
	}, {what: 'the line after the copy'});
	t.deepEqual(seen, [0, 1, 2]);
});

test.serial('after a rotation a new orchestrator resumes from the stored position, taking in only what is new', async t => {
	const {root, seen, intake, append} = setup(t, 2000);
	const first = intake();
	for (let n = 0; n < 60; n++) {
		append(n);
		first.check();
	}

	t.is(exactlyOnce(seen, 60), undefined);
	t.true(fs.existsSync(`${spoolFile(root)}.1`), 'rotated');
	first.stop();
	// Hooks while no orchestrator runs, across a size where a rotation would be due.
	for (let n = 60; n < 90; n++) {
		append(n);
	}

	const second = intake();
	second.check();
	t.is(exactlyOnce(seen, 90), undefined);
	for (let n = 90; n < 100; n++) {
		append(n);
	}

	await waitFor(() => {
		second.check();
		return seen.length >= 100;
	}, {what: 'the last hooks'});
	t.is(exactlyOnce(seen, 100), undefined);
});
