import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath} from '../helpers/paths.js';
import {makeProject} from '../helpers/project.js';
import {privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

/**
 * tmux 3.3 sometimes never fills in #{pane_dead_status}, so the CLI runs under a tiny node
 * wrapper in the pane that records the CLI's pid and how it ended (exit code or signal).
 */
const wrapper = `
const fs = require('node:fs');
const [pidFile, endFile, ...args] = process.argv.slice(1);
process.on('SIGINT', () => {});
const child = require('node:child_process').spawn(process.execPath, args, {stdio: 'inherit'});
fs.writeFileSync(pidFile, String(child.pid));
child.on('exit', (code, signal) => {
	// Written whole, then renamed: the test polls for this file and must never read half of it.
	fs.writeFileSync(endFile + '.tmp', JSON.stringify({code, signal}));
	fs.renameSync(endFile + '.tmp', endFile);
});
`;

function runWrapped(root: string): {command: string[]; pid: () => number; end: () => {code: number | null; signal: string | null} | undefined} {
	const pidFile = path.join(root, 'cli.pid');
	const endFile = path.join(root, 'cli.end');
	return {
		command: [process.execPath, '-e', wrapper, pidFile, endFile, cliPath, '--project', root],
		pid: () => Number(fs.readFileSync(pidFile, 'utf8')),
		end: () => fs.existsSync(endFile) ? JSON.parse(fs.readFileSync(endFile, 'utf8')) as {code: number | null; signal: string | null} : undefined,
	};
}

test.serial('in a real terminal the tui shows its panes and q quits with exit code 0', async t => {
	const tmux = privateTmux('ui');
	const project = makeProject({healthPort: 0, session: `cmux-ui-e2e-${process.pid}`});
	try {
		await tmux.run(['new-session', '-d', '-s', 'ui', '-x', '120', '-y', '40']);
		await tmux.run(['set-option', '-t', 'ui', 'remain-on-exit', 'on']);
		const cli = runWrapped(project.root);
		await tmux.run(['respawn-pane', '-k', '-t', 'ui', '-e', 'NO_COLOR=1', '--', ...cli.command]);
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
		const end = await waitFor(cli.end, {timeout: 15_000, what: 'the tui to exit'});
		t.deepEqual(end, {code: 0, signal: null});
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
		const cli = runWrapped(project.root);
		await tmux.run(['respawn-pane', '-k', '-t', 'ui', '-e', 'NO_COLOR=1', '--', ...cli.command]);
		await waitFor(async () => (await tmux.run(['capture-pane', '-p', '-t', 'ui'])).includes('q quit'), {timeout: 15_000, what: 'the tui on screen'});
		process.kill(cli.pid(), 'SIGINT');
		const end = await waitFor(cli.end, {timeout: 15_000, what: 'the process to end'});
		t.deepEqual(end, {code: 130, signal: null}, 'exits 130 by itself, not killed by the signal');
	} finally {
		await tmux.kill();
		project.cleanup();
	}
});
