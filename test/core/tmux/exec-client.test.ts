import test from 'ava';
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
