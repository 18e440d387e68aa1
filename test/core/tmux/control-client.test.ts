import test from 'ava';
import {TmuxError} from '../../../source/core/errors.js';
import {ControlTmuxClient} from '../../../source/core/tmux/control-client.js';
import type {TmuxNotification} from '../../../source/core/tmux/control-parser.js';
import {quoteArgument} from '../../../source/core/tmux/quote.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

test('quoting escapes what the tmux parser would read', t => {
	t.is(quoteArgument('a"b$c\\d\ne#{x};'), '"a\\"b\\$c\\\\d\\ne#{x};"');
	t.is(quoteArgument('\u0001'), '"\\001"');
});

test.serial('arguments reach tmux literally through the control connection', async t => {
	const server = privateTmux('ctl');
	const client = new ControlTmuxClient({socket: server.socket, session: 'ctl'});
	try {
		const text = 'a\'b"c $HOME ~ #{session_name} ; \\ \n2nd\t%end 1 2 1';
		await client.run(['set-buffer', '-b', 'probe', text]);
		const shown = await client.run(['show-buffer', '-b', 'probe']);
		t.is(shown.length, 2);
		t.true(shown[1]!.includes('%end 1 2 1'));
		const unknown = await t.throwsAsync(client.run(['no-such-command']), {instanceOf: TmuxError, message: /unknown command/});
		t.is(unknown.reason, 'command');
		const missing = await t.throwsAsync(client.run(['list-panes', '-t', 'ctl:nowindow']), {instanceOf: TmuxError});
		t.is(missing.reason, 'not-found');
		t.deepEqual(await client.run(['display-message', '-p', 'ok']), ['ok']);
	} finally {
		await client.close();
		await server.kill();
	}
});

test.serial('a window killed in the attached session is notified', async t => {
	const server = privateTmux('ctl');
	const client = new ControlTmuxClient({socket: server.socket, session: 'ctl'});
	const seen: TmuxNotification[] = [];
	client.events.onNotification(notification => seen.push(notification));
	try {
		const [id] = await client.run(['new-window', '-d', '-P', '-F', '#{window_id}', 'sleep 100']);
		await server.run(['kill-window', '-t', id!]);
		await waitFor(() => seen.some(notification => /window-close$/.test(notification.name) && notification.args[0] === id));
		t.pass();
	} finally {
		await client.close();
		await server.kill();
	}
});

test.serial('the client reconnects after the tmux server dies', async t => {
	const server = privateTmux('ctl');
	const client = new ControlTmuxClient({socket: server.socket, session: 'ctl', backoff: {min: 50, max: 200}});
	let connects = 0;
	client.events.onConnected(() => connects++);
	try {
		await client.connect();
		await server.kill();
		await waitFor(() => connects >= 2, {what: 'a reconnect'});
		t.deepEqual(await client.run(['display-message', '-p', '#{session_name}']), ['ctl']);
	} finally {
		await client.close();
		await server.kill();
	}
});

test.serial('inside a tmux pane, with no socket configured, it talks to the server of $TMUX like the tmux command does', async t => {
	const server = privateTmux('inside');
	await server.run(['new-session', '-d', '-s', 'outer']);
	const socketPath = (await server.run(['display-message', '-p', '#{socket_path}'])).trim();
	const saved = process.env.TMUX;
	process.env.TMUX = `${socketPath},1,0`;
	const client = new ControlTmuxClient({session: 'inner'});
	try {
		await client.run(['display-message', '-p', 'ok']);
		t.deepEqual((await server.run(['list-sessions', '-F', '#{session_name}'])).split('\n').sort(), ['inner', 'outer']);
	} finally {
		process.env.TMUX = saved;
		if (saved === undefined) {
			delete process.env.TMUX;
		}

		await client.close();
		await server.kill();
	}
});
