import test from 'ava';
import {cliPath} from '../helpers/paths.js';
import {makeProject} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

test.serial('in a real terminal the tui shows its panes and q quits with exit code 0', async t => {
	const tmux = privateTmux('ui');
	const project = makeProject({healthPort: 0, session: `cmux-ui-e2e-${process.pid}`});
	try {
		await tmux.run(['new-session', '-d', '-s', 'ui', '-x', '120', '-y', '40']);
		await tmux.run(['set-option', '-t', 'ui', 'remain-on-exit', 'on']);
		await tmux.run(['respawn-pane', '-k', '-t', 'ui', '-e', 'NO_COLOR=1', '--', process.execPath, cliPath, '--project', project.root]);
		const screen = await waitFor(async () => {
			const text = await tmux.run(['capture-pane', '-p', '-t', 'ui']);
			return text.includes('4 health') && text.includes('q quit') ? text : undefined;
		}, {timeout: 15_000, what: 'the tui on screen'});
		t.regex(screen, /▶ 1 agents/);
		t.regex(screen, /2 mailbox/);
		t.regex(screen, /3 alerts/);
		t.regex(screen, /overall\s+healthy/);
		// NO_COLOR=1: bold and dim only, no foreground or background colour.
		const escaped = await tmux.run(['capture-pane', '-e', '-p', '-t', 'ui']);
		t.notRegex(escaped, /\u001B\[[\d;]*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])m/);
		await tmux.run(['send-keys', '-t', 'ui', 'q']);
		const status = await waitFor(async () => {
			const [dead, code] = (await tmux.run(['display-message', '-p', '-t', 'ui', '#{pane_dead} #{pane_dead_status}'])).trim().split(' ');
			return dead === '1' ? code : undefined;
		}, {timeout: 15_000, what: 'the tui to exit'});
		t.is(status, '0');
	} finally {
		await tmux.kill();
		project.cleanup();
	}
});

test.serial('sigint while the tui runs shuts down and exits 130 instead of dying by the signal', async t => {
	const tmux = privateTmux('ui-sig');
	const project = makeProject({healthPort: 0, session: `cmux-ui-e2e-sig-${process.pid}`});
	try {
		await tmux.run(['new-session', '-d', '-s', 'ui', '-x', '120', '-y', '40']);
		await tmux.run(['set-option', '-t', 'ui', 'remain-on-exit', 'on']);
		await tmux.run(['respawn-pane', '-k', '-t', 'ui', '-e', 'NO_COLOR=1', '--', process.execPath, cliPath, '--project', project.root]);
		await waitFor(async () => (await tmux.run(['capture-pane', '-p', '-t', 'ui'])).includes('q quit'), {timeout: 15_000, what: 'the tui on screen'});
		const pid = Number((await tmux.run(['display-message', '-p', '-t', 'ui', '#{pane_pid}'])).trim());
		process.kill(pid, 'SIGINT');
		const screen = await waitFor(async () => {
			const text = await tmux.run(['capture-pane', '-p', '-t', 'ui']);
			return text.includes('Pane is dead') ? text : undefined;
		}, {timeout: 15_000, what: 'the process to end'});
		t.regex(screen, /Pane is dead \(status 130/);
	} finally {
		await tmux.kill();
		project.cleanup();
	}
});
