import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {makeProject, runCli} from '../helpers/project.js';
import {repoRoot} from '../helpers/paths.js';

test('init copies the schema beside the config so $schema resolves wherever the package lives', async t => {
	const project = makeProject();
	fs.rmSync(path.join(project.root, '.cmux'), {recursive: true, force: true});
	const result = await runCli(['init'], {cwd: project.root});
	t.is(result.exitCode, 0, result.stderr);
	const written = JSON.parse(fs.readFileSync(path.join(project.root, '.cmux', 'config.json'), 'utf8')) as {$schema: string};
	t.is(written.$schema, './config.schema.json');
	const schema = path.resolve(project.root, '.cmux', written.$schema);
	t.deepEqual(JSON.parse(fs.readFileSync(schema, 'utf8')), JSON.parse(fs.readFileSync(path.join(repoRoot, '.cmux.example', 'config.schema.json'), 'utf8')));
	project.cleanup();
});

test('send prints the message id and warns about an unknown recipient', async t => {
	const project = makeProject({healthPort: 0, agents: [{name: 'worker-1', command: 'sleep 100'}]});
	const known = await runCli(['send', 'worker-1', 'hello'], {cwd: project.root});
	t.is(known.exitCode, 0, known.stderr);
	t.is(known.stderr, '');
	const id = known.stdout.trim();
	t.regex(id, /^[\da-f-]{36}$/);
	t.true(fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8').includes(`"id":"${id}"`));
	const unknown = await runCli(['send', 'wroker-1', 'typo'], {cwd: project.root});
	t.is(unknown.exitCode, 0);
	t.regex(unknown.stdout.trim(), /^[\da-f-]{36}$/);
	t.regex(unknown.stderr, /^cmux-tui: warning: no agent named "wroker-1" is configured or registered/);
	const user = await runCli(['send', 'user', 'note'], {cwd: project.root});
	t.is(user.stderr, '');
	project.cleanup();
});

test('doctor fails when an agent command does not exist', async t => {
	const project = makeProject({healthPort: 0, agents: [
		{name: 'good', command: 'node fixtures.js'},
		{name: 'bad', command: 'FOO=1 no-such-program-xyz --flag'},
		{name: 'local', command: './missing.sh'},
	]});
	const result = await runCli(['doctor', '--json'], {cwd: project.root});
	t.is(result.exitCode, 1);
	const rows = (JSON.parse(result.stdout) as {results: Array<{name: string; ok: boolean; detail: string}>}).results;
	t.true(rows.find(row => row.name === 'agent good command')?.ok);
	const bad = rows.find(row => row.name === 'agent bad command');
	t.false(bad?.ok);
	t.regex(bad?.detail ?? '', /no-such-program-xyz not found/);
	t.false(rows.find(row => row.name === 'agent local command')?.ok);
	project.cleanup();
});

test('a json syntax error in the config names its line and column', async t => {
	const project = makeProject({healthPort: 0});
	fs.writeFileSync(path.join(project.root, '.cmux', 'config.json'), '{\n  "session": "x",\n  }\n');
	const result = await runCli(['status'], {cwd: project.root});
	t.is(result.exitCode, 2);
	t.regex(result.stderr, /^cmux-tui: .*config\.json is not valid JSON at line 3, column 3: /);
	project.cleanup();
});

test('the demo does not recompile when dist is fresh and says how to look at its agents', async t => {
	// Make dist newer than every source file, as after a build.
	const now = new Date();
	fs.utimesSync(path.join(repoRoot, 'dist', 'cli.js'), now, now);
	const {stdout} = await promisify(execFile)(process.execPath, ['scripts/demo.js', '--version'], {cwd: repoRoot});
	t.notRegex(stdout, /compiling/);
	t.regex(stdout, /tmux -L cmux-demo attach -t cmux-demo/);
	t.regex(stdout, /^\d+\.\d+\.\d+$/m);
});
