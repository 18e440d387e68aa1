import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readRegistry, readRegistryEntry, updateRegistry} from '../../../source/core/registry/registry.js';
import {makeProject, runCli} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';

test.serial('sixteen concurrent register and unregister processes lose no update', async t => {
	const tmux = privateTmux('reg16');
	const project = makeProject({session: 'cmux-none', tmuxSocket: tmux.socket, healthPort: 0});
	try {
		// register records only windows that exist: give each its own.
		await tmux.run(['new-session', '-d', '-s', 'cmux-none', '-n', 'a0', 'sleep', '600']);
		for (let index = 1; index < 16; index++) {
			await tmux.run(['new-window', '-d', '-t', 'cmux-none', '-n', `a${index}`, 'sleep', '600']);
		}

		const file = path.join(project.root, '.cmux', 'agent_registry.json');
		fs.writeFileSync(file, JSON.stringify({keep: {name: 'keep', type: 'worker', custom: {x: 1}}, gone: {name: 'gone', type: 'worker'}}));
		const runs = Array.from({length: 16}, async (_, index) => runCli(['register', `a${index}`, '--window', `cmux-none:a${index}`, '--type', index % 2 ? 'worker' : 'supervisor'], {cwd: project.root, timeout: 120_000}));
		runs.push(runCli(['unregister', 'gone'], {cwd: project.root}));
		const results = await Promise.all(runs);
		for (const result of results) {
			t.is(result.exitCode, 0, String(result.stderr));
		}

		const {registry} = readRegistry(file);
		t.deepEqual(Object.keys(registry).sort(), ['keep', ...Array.from({length: 16}, (_, index) => `a${index}`)].sort());
		t.deepEqual(registry.keep!.custom, {x: 1});
		t.is(registry.a3!.type, 'worker');
		t.is(registry.a4!.type, 'supervisor');
		t.is(registry.a4!.window, 'cmux-none:a4');
	} finally {
		await tmux.kill();
		project.cleanup();
	}
});

test('a corrupt registry is moved aside and the update applies to an empty one', async t => {
	const project = makeProject({healthPort: 0});
	try {
		const file = path.join(project.root, '.cmux', 'agent_registry.json');
		fs.writeFileSync(file, '{"a": {"name": "a", "ty');
		t.truthy(readRegistry(file).corrupt);
		const {corruptMovedTo} = await updateRegistry(file, registry => {
			registry.b = {name: 'b', type: 'worker'};
		});
		t.truthy(corruptMovedTo);
		t.is(fs.readFileSync(corruptMovedTo!, 'utf8'), '{"a": {"name": "a", "ty');
		t.deepEqual(Object.keys(readRegistry(file).registry), ['b']);
		t.is(fs.statSync(file).mode & 0o777, 0o600);
	} finally {
		project.cleanup();
	}
});

test('unknown keys of an entry are kept on rewrite', async t => {
	const project = makeProject({healthPort: 0});
	try {
		const file = path.join(project.root, '.cmux', 'agent_registry.json');
		fs.writeFileSync(file, JSON.stringify({a: {name: 'a', type: 'worker', status: 'active', extra: [1, 2]}}));
		await updateRegistry(file, registry => {
			registry.a!.window = 'cmux:a';
		});
		t.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), {a: {name: 'a', type: 'worker', status: 'active', extra: [1, 2], window: 'cmux:a'}});
	} finally {
		project.cleanup();
	}
});

test('an entry that is not an object makes the registry corrupt, naming the entry', t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'agent_registry.json');
		fs.writeFileSync(file, JSON.stringify({ok: {type: 'worker'}, w1: 42}));
		t.is(readRegistry(file).corrupt, 'agent_registry.json: w1: expected object, got 42');
		fs.writeFileSync(file, '[1]');
		t.is(readRegistry(file).corrupt, 'agent_registry.json: expected record, got [1]');
		fs.writeFileSync(file, '{"a": ');
		t.regex(readRegistry(file).corrupt ?? '', /^agent_registry\.json: not valid JSON: /);
	} finally {
		project.cleanup();
	}
});

test('a known key of the wrong type is dropped, unknown keys are kept, a missing type is a worker', t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'agent_registry.json');
		fs.writeFileSync(file, JSON.stringify({w1: {pid: '12', window: 7, custom: [1], type: 3}, w2: {pid: 99, cookie: 'c'}}));
		const {registry, corrupt} = readRegistry(file);
		t.is(corrupt, undefined);
		t.deepEqual(registry.w1, {name: 'w1', type: 'worker', custom: [1]});
		t.deepEqual(registry.w2, {name: 'w2', type: 'worker', pid: 99, cookie: 'c'});
	} finally {
		project.cleanup();
	}
});

test('one entry is read as the whole registry reads it, and only its own faults make it corrupt', t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'agent_registry.json');
		t.deepEqual(readRegistryEntry(file, 'w1'), {}, 'no file: no entry');
		fs.writeFileSync(file, JSON.stringify({w1: {pid: '12', custom: [1], stopping: '2026-12-02T00:00:00Z'}, w2: 42}));
		t.deepEqual(readRegistryEntry(file, 'w1'), {entry: {name: 'w1', type: 'worker', custom: [1], stopping: '2026-12-02T00:00:00Z'}}, 'another entry that is not an object is not looked into');
		t.is(readRegistry(file).corrupt, 'agent_registry.json: w2: expected object, got 42');
		t.deepEqual(readRegistryEntry(file, 'w2'), {corrupt: 'agent_registry.json: w2: expected object, got 42'});
		t.deepEqual(readRegistryEntry(file, 'w3'), {});
		t.deepEqual(readRegistryEntry(file, 'constructor'), {}, 'a name is a key of the file, not of every object');
		fs.writeFileSync(file, '[1]');
		t.is(readRegistryEntry(file, 'w1').corrupt, 'agent_registry.json: expected record, got [1]');
		fs.writeFileSync(file, '{"w1": ');
		t.regex(readRegistryEntry(file, 'w1').corrupt ?? '', /^agent_registry\.json: not valid JSON: /);
	} finally {
		project.cleanup();
	}
});

test('a one-entry read after this process wrote the registry sees every later change of the file', async t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'agent_registry.json');
		await updateRegistry(file, registry => {
			registry.w1 = {name: 'w1', type: 'worker', custom: {x: 1}};
		});
		const read = readRegistryEntry(file, 'w1');
		t.deepEqual(read, {entry: {name: 'w1', type: 'worker', custom: {x: 1}}});
		t.throws(() => {
			(read.entry!.custom as {x: number}).x = 2;
		}, {instanceOf: TypeError}, 'what a read shares with the remembered text cannot be changed');
		// Another process's write of the same length, then a corrupt one: neither is mistaken for the text written here.
		const written = fs.readFileSync(file, 'utf8');
		fs.writeFileSync(file, written.replace('"x": 1', '"x": 3'));
		t.deepEqual(readRegistryEntry(file, 'w1').entry?.custom, {x: 3});
		fs.writeFileSync(file, written.replace('"custom"', '"stopping": "2026-12-02T00:00:00Z", "custom"'));
		t.is(readRegistryEntry(file, 'w1').entry?.stopping, '2026-12-02T00:00:00Z');
		fs.writeFileSync(file, written.replace('{', '['));
		t.regex(readRegistryEntry(file, 'w1').corrupt ?? '', /not valid JSON/);
		fs.writeFileSync(file, written);
		t.deepEqual(readRegistryEntry(file, 'w1').entry?.custom, {x: 1});
	} finally {
		project.cleanup();
	}
});
