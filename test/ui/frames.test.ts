import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath} from '../helpers/paths.js';
import {makeProject} from '../helpers/project.js';
import {killTmuxServer, privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

/** A TUI in a real tmux pane (its own server) over a project whose two agents run on a second private server. */
async function startTui(label: string, options: {env?: string[]; columns?: number; rows?: number; workerCommand?: string} = {}) {
	const tmux = privateTmux(label);
	const agentsSocket = `${tmux.socket}-agents`;
	const project = makeProject({healthPort: 0, session: 'agents', tmuxSocket: agentsSocket, agents: [
		{name: 'worker-1', command: options.workerCommand ?? 'sleep 1000'},
		{name: 'supervisor', type: 'supervisor', command: 'sleep 1000'},
	]});
	fs.writeFileSync(path.join(project.root, 'before.txt'), 'the screen before the tui\n');
	await tmux.run(['new-session', '-d', '-s', 'ui', '-x', String(options.columns ?? 200), '-y', String(options.rows ?? 50)]);
	await tmux.run(['set-option', '-t', 'ui', 'remain-on-exit', 'on']);
	const script = `cat ${JSON.stringify(path.join(project.root, 'before.txt'))}; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} --project ${JSON.stringify(project.root)}`;
	await tmux.run(['respawn-pane', '-k', '-t', 'ui', ...(options.env ?? []).flatMap(variable => ['-e', variable]), '--', 'sh', '-c', script]);
	const capture = async (styles = false) => tmux.run(['capture-pane', '-p', ...(styles ? ['-e'] : []), '-t', 'ui']);
	return {
		tmux,
		capture,
		async waitForScreen(check: (screen: string) => boolean, what: string): Promise<string> {
			let last = '';
			try {
				return await waitFor(async () => {
					last = await capture();
					return check(last) ? last : undefined;
				}, {timeout: 30_000, interval: 100, what});
			} catch (error) {
				throw new Error(`${(error as Error).message}; screen:\n${last}`);
			}
		},
		async keys(...keys: string[]): Promise<void> {
			await tmux.run(['send-keys', '-t', 'ui', ...keys]);
		},
		async cleanup(): Promise<void> {
			await tmux.kill();
			await killTmuxServer(agentsSocket);
			project.cleanup();
		},
	};
}

/** Problems of a captured screen of `rows` lines: scrolled, overflowing, or cut borders. */
function overflowProblems(screen: string, rows: number): string[] {
	const lines = screen.split('\n');
	const problems: string[] = [];
	if (!lines[0]?.startsWith('cmux-tui')) {
		problems.push(`the header is not on the first line (the frame scrolled): ${lines[0]}`);
	}

	if ((lines[rows - 1] ?? '').trim() !== '') {
		problems.push('the last terminal line is not free: the frame overflows');
	}

	for (const [index, line] of lines.entries()) {
		const trimmed = line.trimEnd();
		if (/^[╭┏]/.test(trimmed) && !/[╮┓]$/.test(trimmed)) {
			problems.push(`line ${index + 1}: a top border is cut: ${trimmed}`);
		}
	}

	return problems;
}

test.serial('at 200x50, 80x24 and 60x16 the frame fits the terminal and is drawn in colour', async t => {
	// CI=true in the environment must not turn colour off on a real terminal.
	const tui = await startTui('frames', {env: ['CI=true']});
	try {
		for (const [columns, rows, mode] of [[200, 50, 'split'], [80, 24, 'split'], [60, 16, 'tabs']] as const) {
			await tui.tmux.run(['resize-window', '-t', 'ui', '-x', String(columns), '-y', String(rows)]);
			const screen = await tui.waitForScreen(now => {
				const lines = now.split('\n');
				const footer = lines[rows - 2] ?? '';
				const laidOut = mode === 'split' ? now.includes('4 health') && now.includes('2 mailbox') : now.includes('[1 agents]') && !now.includes('4 health ─');
				return laidOut && footer.includes('q quit') && now.includes('supervisor') && now.includes('worker-1') && lines[0]!.length <= columns;
			}, `the ${columns}x${rows} layout`);
			t.deepEqual(overflowProblems(screen, rows), [], `${columns}x${rows}:\n${screen}`);
			if (mode === 'split') {
				// Agents keep at least 5 rows and the mailbox 4 (pane lines minus border, title and header).
				const lines = screen.split('\n');
				const agentsTop = lines.findIndex(line => line.includes('1 agents'));
				const mailboxTop = lines.findIndex(line => line.includes('2 mailbox'));
				const alertsTop = lines.findIndex(line => line.includes('3 alerts'));
				t.true(mailboxTop - agentsTop - 3 >= 5, `agents rows at ${columns}x${rows}`);
				t.true(alertsTop - mailboxTop - 3 >= 4, `mailbox rows at ${columns}x${rows}`);
			}

			const styled = await tui.capture(true);
			t.regex(styled, /\u001B\[[\d;]*1m/, 'bold');
			t.regex(styled, /\u001B\[(?:[\d;]*;)?(?:3[1-6]|9[1-6]|38;5;\d+)m/, `a foreground colour at ${columns}x${rows}`);
		}
	} finally {
		await tui.cleanup();
	}
});

test.serial('the preview follows the selected agent\'s output as tmux reports it, without events', async t => {
	// A line a second and nothing else: after its first output no event names worker-1 again.
	const tui = await startTui('preview', {workerCommand: 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 1; done'});
	try {
		const tick = (screen: string) => Math.max(0, ...[...screen.matchAll(/tick (\d+)/g)].map(match => Number(match[1])));
		await tui.waitForScreen(now => now.includes('preview worker-1') || now.includes('preview supervisor'), 'a preview');
		if (!(await tui.capture()).includes('preview worker-1')) {
			await tui.keys('Down');
		}

		const first = tick(await tui.waitForScreen(now => now.includes('preview worker-1') && tick(now) > 0, 'worker-1 ticking in the preview'));
		// Three more lines, well after any state change settled: only %output can have brought them.
		await tui.waitForScreen(now => tick(now) >= first + 3, 'the preview to move on');
		t.pass();
	} finally {
		await tui.cleanup();
	}
});

test.serial('with NO_COLOR the frame has bold and inverse but no colour', async t => {
	const tui = await startTui('nocolor', {env: ['NO_COLOR=1'], columns: 100, rows: 30});
	try {
		await tui.waitForScreen(now => now.includes('worker-1') && now.includes('q quit'), 'the tui');
		const styled = await tui.capture(true);
		t.notRegex(styled, /\u001B\[[\d;]*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])m/);
		t.regex(styled, /\u001B\[[\d;]*[17]m/);
	} finally {
		await tui.cleanup();
	}
});

test.serial('every key acts in a real terminal, the mouse selects, and q restores the screen with a parting line', async t => {
	const tui = await startTui('keys', {columns: 120, rows: 32});
	try {
		await tui.waitForScreen(now => now.includes('worker-1') && now.includes('supervisor') && now.includes('q quit'), 'the tui');
		// Help, and back.
		await tui.keys('?');
		await tui.waitForScreen(now => now.includes('cmux-tui keys') && now.includes('o        agents'), 'the help');
		await tui.keys('Escape');
		await tui.waitForScreen(now => now.includes('▶ 1 agents'), 'the panes again');
		// ↓ / j select, ↑ goes back; enter shows the agent's pane; esc closes.
		await tui.keys('j');
		await tui.waitForScreen(now => /›worker-1/.test(now), 'worker-1 selected');
		await tui.keys('Up');
		await tui.waitForScreen(now => /›supervisor/.test(now), 'supervisor selected');
		await tui.keys('Enter');
		await tui.waitForScreen(now => now.includes('supervisor — last'), 'the agent details');
		await tui.keys('Escape');
		// k and r ask; n answers no (K kills without asking: tested in keys.test.tsx).
		for (const [key, question] of [['k', 'Kill supervisor'], ['r', 'Restart supervisor']] as const) {
			await tui.keys(key);
			await tui.waitForScreen(now => now.includes(question) && now.includes('y yes'), `the ${key} question`);
			await tui.keys('n');
			await tui.waitForScreen(now => now.includes('cancelled'), `${key} cancelled`);
		}

		// The recover keys: y approve, x deny and i interrupt ask too; approve and deny are not in the
		// key line since supervisor is not waiting for approval; n nudges the idle supervisor.
		const keyLine = (await tui.capture()).split('\n')[31 - 1]!;
		t.regex(keyLine, /n nudge/);
		t.notRegex(keyLine, /y approve|x deny/);
		for (const [key, question] of [['y', 'Approve supervisor'], ['x', 'Deny supervisor'], ['i', 'Interrupt what supervisor']] as const) {
			await tui.keys(key);
			await tui.waitForScreen(now => now.includes(question) && now.includes('y yes'), `the ${key} question`);
			await tui.keys('n');
			await tui.waitForScreen(now => now.includes('cancelled') && !now.includes(question), `${key} cancelled`);
		}

		await tui.keys('n');
		await tui.waitForScreen(now => now.includes('nudged supervisor'), 'the nudge');

		// a: the TUI's tmux is not the agents' server, so attach reports why it cannot switch.
		await tui.keys('a');
		await tui.waitForScreen(now => /attaching to supervisor failed|switched to supervisor/.test(now), 'the attach result');
		// o sorts by name (▲), O reverses (▼).
		await tui.keys('o');
		await tui.waitForScreen(now => now.includes('name▲'), 'sorted by name');
		await tui.keys('O');
		await tui.waitForScreen(now => now.includes('name▼'), 'reversed');
		// / filters, enter keeps it, then / and esc clear it.
		await tui.keys('/', 'w', 'o', 'r', 'k');
		await tui.waitForScreen(now => now.includes('1 row') && !now.includes('›supervisor'), 'the filter applied');
		await tui.keys('Escape');
		await tui.waitForScreen(now => now.includes('2 rows'), 'the filter cleared');
		// s opens the send dialog; esc closes it.
		await tui.keys('s');
		await tui.waitForScreen(now => now.includes('send a message as user'), 'the send dialog');
		await tui.keys('Escape');
		// tab and 1-4 move the focus.
		await tui.keys('Tab');
		await tui.waitForScreen(now => now.includes('▶ 2 mailbox'), 'mailbox focused');
		await tui.keys('4');
		await tui.waitForScreen(now => now.includes('▶ 4 health'), 'health focused');
		// A click on the agents pane's second row focuses it and selects that row.
		const screen = await tui.capture();
		const line = screen.split('\n').findIndex(text => text.includes('worker-1') && text.includes('sleep') === false && /worker-1\s/.test(text));
		await tui.tmux.run(['send-keys', '-t', 'ui', '-l', `\u001B[<0;10;${line + 1}M`]);
		await tui.waitForScreen(now => now.includes('▶ 1 agents') && /›worker-1/.test(now), 'the clicked row selected');
		// The wheel moves the selection (down: to the next row, the last one here).
		await tui.tmux.run(['send-keys', '-t', 'ui', '-l', `\u001B[<65;10;${line + 1}M`]);
		await tui.waitForScreen(now => /›supervisor/.test(now), 'the wheel moved down');
		// q: the user's screen comes back with one line saying what keeps running.
		await tui.keys('q');
		const after = await tui.waitForScreen(now => now.includes('the TUI closed'), 'the parting line');
		t.regex(after, /the screen before the tui/);
		t.regex(after, /still running: 2 agents in tmux session agents/);
		t.regex(after, /cmux-tui stop --project/);
		t.notRegex(after, /[┏╭]/, 'the panes are gone with the alternate screen');
	} finally {
		await tui.cleanup();
	}
});
