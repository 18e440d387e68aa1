import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {makeProject, runCli} from '../helpers/project.js';
import {repoRoot} from '../helpers/paths.js';

test('init writes the example config and never overwrites', async t => {
	const project = makeProject();
	const first = await runCli(['init'], {cwd: project.root});
	t.is(first.exitCode, 0, first.stderr);
	const file = path.join(project.root, '.cmux', 'config.json');
	const written = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
	const example = JSON.parse(fs.readFileSync(path.join(repoRoot, '.cmux.example', 'config.json'), 'utf8')) as Record<string, unknown>;
	t.deepEqual({...written, $schema: undefined}, {...example, $schema: undefined});
	t.true(fs.existsSync(path.resolve(project.root, '.cmux', String(written.$schema))), 'the $schema path points at the shipped schema');
	t.is(fs.statSync(path.join(project.root, '.cmux')).mode & 0o777, 0o700);
	t.is(fs.statSync(file).mode & 0o777, 0o600);
	fs.writeFileSync(file, '{"session":"mine"}');
	const second = await runCli(['init'], {cwd: project.root});
	t.is(second.exitCode, 1);
	t.regex(second.stderr, /^cmux-tui: .*config\.json already exists; init never overwrites it\n$/);
	t.is(fs.readFileSync(file, 'utf8'), '{"session":"mine"}');
	project.cleanup();
});

test('status exits 1 when no orchestrator runs and says why', async t => {
	const project = makeProject({healthPort: 0});
	const result = await runCli(['status'], {cwd: project.root});
	t.is(result.exitCode, 1);
	t.regex(result.stdout, /^cmux-tui: unhealthy$/m);
	t.regex(result.stdout, /orchestrator is not running/);
	project.cleanup();
});

test('the project root is found from a subfolder', async t => {
	const project = makeProject({healthPort: 0, session: 'found-it'});
	const sub = path.join(project.root, 'a', 'b');
	fs.mkdirSync(sub, {recursive: true});
	const result = await runCli(['doctor', '--json'], {cwd: sub});
	t.true(JSON.parse(result.stdout).results.some((row: {detail: string}) => row.detail.includes(project.root)));
	project.cleanup();
});

test('doctor passes on a healthy project and fails on loose permissions', async t => {
	const project = makeProject({healthPort: 0});
	fs.chmodSync(path.join(project.root, '.cmux'), 0o700);
	const good = await runCli(['doctor'], {cwd: project.root});
	t.is(good.exitCode, 0, good.stdout);
	t.regex(good.stdout, /^ok {3}tmux version: tmux \d/m);
	fs.chmodSync(path.join(project.root, '.cmux'), 0o755);
	const bad = await runCli(['doctor'], {cwd: project.root});
	t.is(bad.exitCode, 1);
	t.regex(bad.stdout, /^FAIL state folder: .* is 755 \(0700 expected\)$/m);
	project.cleanup();
});

test('doctor reports a corrupt database', async t => {
	const project = makeProject({healthPort: 0});
	fs.writeFileSync(path.join(project.root, '.cmux', 'cmux.db'), 'this is not a database at all, just text that is long enough'.repeat(100));
	const result = await runCli(['doctor', '--json'], {cwd: project.root});
	t.is(result.exitCode, 1);
	const rows = JSON.parse(result.stdout).results as Array<{name: string; ok: boolean}>;
	t.false(rows.find(row => row.name === 'database')!.ok);
	project.cleanup();
});

test('check exits 0 when every check passes and 1 when tmux is missing', async t => {
	const project = makeProject({healthPort: 0});
	const good = await runCli(['check'], {cwd: project.root});
	t.is(good.exitCode, 0, good.stdout);
	const bad = await runCli(['check', '--json'], {cwd: project.root, env: {PATH: '/nonexistent'}});
	t.is(bad.exitCode, 1);
	t.like(JSON.parse(bad.stdout), {ok: false, results: [{name: 'tmux', ok: false, detail: 'tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)'}]});
	project.cleanup();
});

test('beat records a heartbeat for a configured agent and refuses an unknown one', async t => {
	const project = makeProject({healthPort: 0, agents: [{name: 'w1', command: 'sh'}]});
	t.is((await runCli(['beat', 'w1'], {cwd: project.root})).exitCode, 0);
	const unknown = await runCli(['beat', 'ghost'], {cwd: project.root});
	t.is(unknown.exitCode, 1);
	t.is(unknown.stderr, 'cmux-tui: unknown agent ghost (not in the config and never registered)\n');
	project.cleanup();
});

test('usage errors exit 2 with one line', async t => {
	const project = makeProject();
	const result = await runCli(['frobnicate'], {cwd: project.root});
	t.is(result.exitCode, 2);
	t.regex(result.stderr, /^cmux-tui: Unknown argument: frobnicate \(see cmux-tui --help\)\n$/);
	project.cleanup();
});

test('--version prints the package version', async t => {
	const {version} = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string};
	const result = await runCli(['--version'], {cwd: repoRoot});
	t.is(result.stdout.trim(), version);
});

test('a config error is one line with exit 2, and --verbose adds the stack', async t => {
	const project = makeProject({alerts: {cooldown: 'soon'}});
	const plain = await runCli(['status'], {cwd: project.root});
	t.is(plain.exitCode, 2);
	t.is(plain.stderr, 'cmux-tui: alerts.cooldown: expected a duration like "5s" or "2m", got "soon"\n');
	const verbose = await runCli(['status', '--verbose'], {cwd: project.root});
	t.regex(verbose.stderr, /\n\s+at /);
	project.cleanup();
});
