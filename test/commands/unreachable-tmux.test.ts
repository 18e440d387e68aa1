import test from 'ava';
import {makeProject, runCli} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';

// A config pointing at a tmux socket no server listens on: nothing may call the agents "not running".
function projectWithoutServer(label: string) {
	const tmux = privateTmux(label);
	const project = makeProject({healthPort: 0, tmuxSocket: tmux.socket, agents: [{name: 'w1', command: 'sh'}]});
	return {tmux, project, async cleanup() {
		await tmux.kill();
		project.cleanup();
	}};
}

test('agents list says the tmux server cannot be reached, naming its socket', async t => {
	const {tmux, project, cleanup} = projectWithoutServer('list');
	try {
		const result = await runCli(['agents', 'list'], {cwd: project.root});
		t.is(result.exitCode, 1);
		t.regex(result.stderr, new RegExp(`^cmux-tui: cannot reach the tmux server on socket ${tmux.socket}: (no server running on|error connecting to) [^\\n]+\\n$`));
		t.is(result.stdout, '');
	} finally {
		await cleanup();
	}
});

test('check reports an unreachable tmux server, not agents that are not running', async t => {
	const {tmux, project, cleanup} = projectWithoutServer('check');
	try {
		const result = await runCli(['check', '--json'], {cwd: project.root});
		t.is(result.exitCode, 1);
		const {results} = JSON.parse(result.stdout) as {results: Array<{name: string; ok: boolean; detail: string}>};
		const reach = `cannot reach the tmux server on socket ${tmux.socket}`;
		t.like(results.find(row => row.name === 'tmux server'), {ok: false});
		t.true(results.find(row => row.name === 'tmux server')!.detail.startsWith(reach));
		t.like(results.find(row => row.name === 'agents'), {ok: false});
		t.true(results.find(row => row.name === 'agents')!.detail.startsWith(`cannot check 1 agent(s): ${reach}`));
		t.false(result.stdout.includes('not running'));
	} finally {
		await cleanup();
	}
});

test('without tmux on the PATH, agents list and check say tmux is not installed', async t => {
	const {project, cleanup} = projectWithoutServer('nobinary');
	try {
		const env = {PATH: '/nonexistent'};
		const list = await runCli(['agents', 'list'], {cwd: project.root, env});
		t.is(list.exitCode, 1);
		t.is(list.stderr, 'cmux-tui: tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)\n');
		const check = await runCli(['check', '--json'], {cwd: project.root, env});
		t.is(check.exitCode, 1);
		const {results} = JSON.parse(check.stdout) as {results: Array<{name: string; ok: boolean; detail: string}>};
		t.like(results.find(row => row.name === 'agents'), {ok: false, detail: 'cannot check 1 agent(s): tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)'});
		t.false(check.stdout.includes('not running'));
	} finally {
		await cleanup();
	}
});
