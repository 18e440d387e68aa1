import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir} from '../helpers/paths.js';
import {makeProject, runCli} from '../helpers/project.js';
import {runOrchestrator} from '../helpers/orchestrator.js';
import {controlClientsAttached, privateTmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

const echoAgent = path.join(fixturesDir, 'agents', 'echo-agent.js');

/** A project on a private tmux socket with one echo agent `w1`, its mailbox and its echo log. */
function setup(label: string, extra: Record<string, unknown> = {}) {
	const tmux = privateTmux(label);
	const project = makeProject({});
	const echoLog = path.join(project.root, 'w1.echo.log');
	fs.writeFileSync(path.join(project.root, '.cmux', 'config.json'), JSON.stringify({
		session: 'hard', tmuxSocket: tmux.socket, healthPort: 0,
		agents: [{name: 'w1', command: `node '${echoAgent}'`, env: {ECHO_LOG: echoLog}, restart: 'never', stopTimeout: '500ms'}],
		mailbox: {retryBase: '20ms', retryMax: '100ms', maxAttempts: 3},
		...extra,
	}));
	const mailbox = path.join(project.root, '.cmux', 'mailbox');
	const received = () => fs.existsSync(echoLog) ? fs.readFileSync(echoLog, 'utf8').trim().split('\n').filter(Boolean).map(line => (JSON.parse(line) as {line: string}).line) : [];
	const cleanup = async () => {
		await runCli(['stop'], {cwd: project.root});
		await tmux.kill();
		project.cleanup();
	};

	return {tmux, root: project.root, mailbox, received, cleanup};
}

test.serial('a lone surrogate in any field is rejected at ingest and never loops, and later mail still arrives', async t => {
	const box = setup('poison');
	const run = runOrchestrator(box.root, {});
	try {
		await run.waitEvent(event => event.type === 'agent.started', 'w1 started');
		await waitFor(async () => (await box.tmux.run(['capture-pane', '-p', '-t', 'hard:=w1'])).includes('PROMPT>'), {what: 'the prompt'});
		// Written as JSON escapes: valid JSON whose strings hold lone surrogates (issue 15, finding 1).
		const poison = [
			String.raw`{"id":"\ud800","from":"a","to":"user","subject":"x"}`,
			String.raw`{"id":"p2","from":"a\udfff","to":"w1","subject":"x"}`,
			String.raw`{"id":"p3","from":"a","to":"w1","subject":"x\ud800"}`,
			String.raw`{"id":"p4","from":"a","to":"w1","subject":"x","body":"\udc00"}`,
			String.raw`{"id":"p5","ts":"\ud83d","from":"a","to":"w1","subject":"x"}`,
			String.raw`{"type":"status_update","id":"\ud800","status":"working"}`,
		];
		fs.appendFileSync(box.mailbox, `${poison.join('\n')}\n{"id":"good","from":"sup","to":"w1","subject":"after"}\n{"id":"good2","from":"sup","to":"user","subject":"after"}\n`);
		await run.waitEvent(event => event.type === 'message.delivered' && event.id === 'good', 'the good message delivered');
		await run.waitEvent(event => event.type === 'message.delivered' && event.id === 'good2', 'the good message to user delivered');
		const rejected = run.events().filter(event => event.type === 'message.rejected');
		t.is(rejected.length, poison.length);
		for (const event of rejected) {
			t.regex(String(event.reason), /lone surrogate/);
		}

		t.deepEqual(run.events().filter(event => event.type === 'message.delivered').map(event => event.id).sort(), ['good', 'good2']);
		await waitFor(() => box.received().length >= 1);
		t.deepEqual(box.received(), ['[sup] after']);
		t.is(await run.stop(), 130);
	} finally {
		await run.stop();
		await box.cleanup();
	}
});

test.serial('a message to a window of another session is rejected, and send refuses it up front', async t => {
	const box = setup('victim');
	const marker = path.join(box.root, 'pwned');
	const run = runOrchestrator(box.root, {});
	try {
		await run.waitEvent(event => event.type === 'agent.started', 'w1 started');
		// The orchestrator's two connections (commands, and pane output for supervision).
		await controlClientsAttached(box.tmux, 'hard', 2);
		await box.tmux.run(['new-session', '-d', '-s', 'victim', '-n', 'sh', 'sh']);
		const refused = await runCli(['send', 'victim:0', `touch ${marker}`], {cwd: box.root});
		t.is(refused.exitCode, 2);
		t.regex(refused.stderr, /^cmux-tui: refused: recipient victim:0 .*mailbox\.allowTargets.*\n$/);
		// Written by another tool, it reaches the router, which rejects it; a later message proves it moved on.
		fs.appendFileSync(box.mailbox, `${JSON.stringify({id: 'evil', from: 'x', to: 'victim:0', subject: `touch ${marker}`})}\n${JSON.stringify({id: 'later', from: 'x', to: 'user', subject: 'later'})}\n`);
		const rejected = await run.waitEvent(event => event.type === 'message.rejected', 'the rejection');
		t.regex(String(rejected.reason), /session "victim", which cmux-tui does not manage/);
		await run.waitEvent(event => event.type === 'message.delivered' && event.id === 'later', 'the later message');
		t.false(fs.existsSync(marker));
		t.false((await box.tmux.run(['capture-pane', '-p', '-t', 'victim:0'])).includes('touch'));
	} finally {
		await run.stop();
		await box.cleanup();
	}
});

test.serial('mailbox.allowTargets lets mail reach a named window of another session', async t => {
	const box = setup('allow', {mailbox: {allowTargets: ['other:0']}});
	try {
		await box.tmux.run(['new-session', '-d', '-s', 'other', '-n', 'echo', process.execPath, echoAgent]);
		t.is((await runCli(['send', 'other:0', 'hello'], {cwd: box.root})).exitCode, 0);
		t.is((await runCli(['send', 'other:1', 'hello'], {cwd: box.root})).exitCode, 2);
		const run = runOrchestrator(box.root, {});
		try {
			await run.waitEvent(event => event.type === 'message.delivered' && event.to === 'other:0', 'delivery to other:0');
			t.false(run.events().some(event => event.type === 'message.rejected'));
		} finally {
			await run.stop();
		}
	} finally {
		await box.cleanup();
	}
});

test.serial('send refuses with exit 2 what the router would reject', async t => {
	const box = setup('refuse');
	try {
		const bodyFile = path.join(box.root, 'big');
		fs.writeFileSync(bodyFile, 'x'.repeat(2 * 1024 * 1024));
		const cases: Array<[string[], RegExp]> = [
			[['send', 'b c', 's'], /refused: bad field: to \(not an address/],
			[['send', 'w1', ''], /refused: bad field: subject \(empty\)/],
			[['send', 'w1', '   '], /refused: bad field: subject \(empty\)/],
			[['send', 'w1', 'x'.repeat(70_000)], /refused: bad field: subject \(longer than 65536/],
			[['send', 'w1', 's', '--body-file', bodyFile], /refused: bad field: body|refused: the message is \d+ bytes/],
			[['send', 'w1', 's', '--from', 'a\u001B]0;x\u0007'], /refused: bad field: from \(a control character\)/],
		];
		for (const [args, error] of cases) {
			const result = await runCli(args, {cwd: box.root});
			t.is(result.exitCode, 2, args.join(' ').slice(0, 40));
			t.regex(result.stderr, error);
			t.notRegex(result.stderr, /[\u001B\u0007]/);
		}

		t.false(fs.existsSync(box.mailbox) && fs.readFileSync(box.mailbox, 'utf8') !== '');
		t.is((await runCli(['send', 'w1', 'fine'], {cwd: box.root})).exitCode, 0);
	} finally {
		await box.cleanup();
	}
});
