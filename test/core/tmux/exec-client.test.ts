import test from 'ava';
import {TmuxError} from '../../../source/core/errors.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {privateTmux} from '../../helpers/tmux.js';

test('arguments ending in a semicolon or a backslash-semicolon arrive literally', async t => {
	const tmux = privateTmux('exec');
	await tmux.run(['new-session', '-d', '-s', 's', 'cat']);
	const client = new ExecTmuxClient(tmux.socket);
	try {
		for (const text of ['hello;', 'a\\;', 'x;;', ';a', 'a;b']) {
			await client.run(['set-buffer', '-b', 'probe', text]);
			t.deepEqual(await client.run(['show-buffer', '-b', 'probe']), [text]);
		}
	} finally {
		await tmux.kill();
	}
});

test('a socket with no server is unreachable, a missing window is not found, a bad command is a command failure', async t => {
	const tmux = privateTmux('reasons');
	const client = new ExecTmuxClient(tmux.socket);
	try {
		const unreachable = await t.throwsAsync(client.run(['list-panes', '-a']), {instanceOf: TmuxError});
		t.is(unreachable.reason, 'unreachable');
		t.regex(unreachable.message, new RegExp(`^cannot reach the tmux server on socket ${tmux.socket}: (no server running on|error connecting to) `));
		await tmux.run(['new-session', '-d', '-s', 's', 'cat']);
		const missing = await t.throwsAsync(client.run(['list-panes', '-t', 's:nowindow']), {instanceOf: TmuxError});
		t.is(missing.reason, 'not-found');
		const bad = await t.throwsAsync(client.run(['set-option', '-g', 'no-such-option', '1']), {instanceOf: TmuxError});
		t.is(bad.reason, 'command');
	} finally {
		await tmux.kill();
	}
});

// Serial: it changes PATH for the whole worker, so it runs before the concurrent tests.
test.serial('without a tmux binary the error says tmux is not installed', async t => {
	const path = process.env.PATH;
	process.env.PATH = '/nonexistent';
	try {
		const error = await t.throwsAsync(new ExecTmuxClient('cmux-test-no-binary').run(['list-sessions']), {instanceOf: TmuxError});
		t.is(error.reason, 'missing');
		t.is(error.message, 'tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)');
	} finally {
		process.env.PATH = path;
	}
});
