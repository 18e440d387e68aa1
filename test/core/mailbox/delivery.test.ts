import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {sameRecipient} from '../../../source/core/mailbox/address.js';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {neutralise} from '../../../source/core/mailbox/render.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

test('control characters become caret text and newline and tab stay', t => {
	t.is(neutralise('a\u0003b\u001B[31mc\td\ne\u007Ff\u009Bg\u0000'), 'a^Cb^[[31mc\td\ne^?f^[[g^@');
});

test('a name and session:name are one recipient; indexes, panes, user and other sessions stand alone', t => {
	t.deepEqual(sameRecipient('worker-1', 'cmux'), ['worker-1', 'cmux:worker-1']);
	t.deepEqual(sameRecipient('cmux:worker-1', 'cmux'), ['worker-1', 'cmux:worker-1']);
	t.deepEqual(sameRecipient('other:worker-1', 'cmux'), ['other:worker-1']);
	t.deepEqual(sameRecipient('cmux:2', 'cmux'), ['cmux:2']);
	t.deepEqual(sameRecipient('cmux:=worker-1', 'cmux'), ['cmux:=worker-1']);
	t.deepEqual(sameRecipient('%3', 'cmux'), ['%3']);
	t.deepEqual(sameRecipient('user', 'cmux'), ['user']);
	t.deepEqual(sameRecipient('cmux:user', 'cmux'), ['cmux:user']);
});

test.serial('a message arrives in the echo agent as the header line then the body line', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'm1', from: 'supervisor', to: 'worker-1', subject: 'run the tests', body: 'all of them'});
		await box.waitState('m1', 'delivered');
		await waitFor(() => box.received(log).length >= 2);
		t.deepEqual(box.received(log), ['[supervisor] run the tests', 'all of them']);
		t.like(box.events.find(event => event.type === 'message.delivered'), {id: 'm1', from: 'supervisor', to: 'worker-1'});
	} finally {
		await box.cleanup();
	}
});

test.serial('hostile characters arrive literally and control bytes as caret text', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		const subject = `it's "quoted" $(touch pwned) \`id\` ; rm -rf x \\ C-c Enter ü 中文 😀 \u001B[31mred\u001B[0m \u0003\u0004\u0007\u0008\u007F\u009B end;`;
		const body = `line one; $(whoami) \`date\`\nC-c\nEnter\n\t tabbed \\n \u001B]0;title\u0007 \u0015\u0017\u0016 done`;
		await appendMessage(box.paths.mailboxFile, {id: 'h1', from: 'cmux:worker-2', to: 'worker-1', subject, body});
		await appendMessage(box.paths.mailboxFile, {id: 'h2', from: 'x', to: 'cmux:worker-1', subject: 'ends with a semicolon;'});
		await appendMessage(box.paths.mailboxFile, {id: 'h3', from: 'x', to: 'worker-1', subject: '-l -t %0 Enter'});
		await box.waitState('h3', 'delivered');
		const expected = [
			neutralise(`[cmux:worker-2] ${subject}`),
			...neutralise(body).split('\n'),
			'[x] ends with a semicolon;',
			'[x] -l -t %0 Enter',
		];
		await waitFor(() => box.received(log).length >= expected.length);
		t.deepEqual(box.received(log), expected);
		t.true(expected[0]!.includes('^C^D^G^H^?^[[ end;'));
		t.false(fs.existsSync(path.join(box.root, 'pwned')));
		t.false(fs.existsSync(path.join(process.cwd(), 'pwned')));
	} finally {
		await box.cleanup();
	}
});

test.serial('a long multi-line body goes through a paste buffer and arrives whole', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		const lines = Array.from({length: 30}, (_, index) => `line ${index} ${'x'.repeat(100)} ;`);
		await appendMessage(box.paths.mailboxFile, {id: 'long', from: 'sup', to: 'worker-1', subject: 's'.repeat(300), body: lines.join('\n')});
		await box.waitState('long', 'delivered');
		await waitFor(() => box.received(log).length >= 31);
		t.deepEqual(box.received(log), [`[sup] ${'s'.repeat(300)}`, ...lines]);
		t.deepEqual((await box.tmux.run(['list-buffers', '-F', '#{buffer_name}'])).split('\n').filter(name => name.startsWith('cmux-')), []);
	} finally {
		await box.cleanup();
	}
});

test.serial('a body naming an existing file arrives as an arrow and the path', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		const file = path.join(box.root, 'report.md');
		fs.writeFileSync(file, '# report\n');
		await appendMessage(box.paths.mailboxFile, {id: 'f1', from: 'log-watcher', to: 'worker-1', subject: 'errors', body: file});
		await box.waitState('f1', 'delivered');
		await waitFor(() => box.received(log).length >= 2);
		t.deepEqual(box.received(log), ['[log-watcher] errors', `-> ${file}`]);
	} finally {
		await box.cleanup();
	}
});

test.serial('messages to one agent arrive in the order they were written', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		await box.start();
		for (let index = 0; index < 40; index++) {
			await appendMessage(box.paths.mailboxFile, {id: `o${index}`, from: 'sup', to: 'worker-1', subject: `n${index}`});
		}

		await box.waitState('o39', 'delivered', 30_000);
		await waitFor(() => box.received(log).length >= 40);
		t.deepEqual(box.received(log), Array.from({length: 40}, (_, index) => `[sup] n${index}`));
	} finally {
		await box.cleanup();
	}
});

test.serial('worker-1 and cmux:worker-1 are one queue: mixed addresses arrive once each, in the order written', async t => {
	const box = await mailboxHarness();
	try {
		const log = await box.agent('worker-1');
		// Written before the router starts, so both forms have a queue waiting when it does.
		for (let index = 0; index < 20; index++) {
			await appendMessage(box.paths.mailboxFile, {id: `m${index}`, from: 'sup', to: index < 10 ? 'cmux:worker-1' : 'worker-1', subject: `n${index}`});
		}

		await box.start();
		await box.waitState('m19', 'delivered', 30_000);
		await waitFor(() => box.received(log).length >= 20);
		t.deepEqual(box.received(log), Array.from({length: 20}, (_, index) => `[sup] n${index}`));
	} finally {
		await box.cleanup();
	}
});

test.serial('a message to user is marked delivered without a pane', async t => {
	const box = await mailboxHarness();
	try {
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'u1', from: 'worker-1', to: 'user', subject: 'need input'});
		await box.waitState('u1', 'delivered');
		t.pass();
	} finally {
		await box.cleanup();
	}
});

test.serial('an agent with a prompt pattern gets the next message only once it is back at its prompt', async t => {
	const box = await mailboxHarness({agents: [{name: 'slow', command: 'unused', prompt: 'READY> $'}]});
	try {
		const log = await box.agent('slow', {ECHO_PROMPT: 'READY> ', ECHO_BUSY_MS: '700'});
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'p1', from: 'sup', to: 'slow', subject: 'first'});
		await appendMessage(box.paths.mailboxFile, {id: 'p2', from: 'sup', to: 'slow', subject: 'second'});
		await box.waitState('p2', 'delivered', 20_000);
		await waitFor(() => box.received(log).length >= 2);
		t.deepEqual(box.received(log), ['[sup] first', '[sup] second']);
		// Typed while busy, the second would show under "working..."; typed at the prompt, it follows it.
		const screen = (await box.tmux.run(['capture-pane', '-p', '-t', 'cmux:=slow'])).split('\n');
		t.true(screen.includes('READY> [sup] second'), screen.join('\n'));
	} finally {
		await box.cleanup();
	}
});

test.serial('an agent slow to echo its keys is not taken to have taken them before it reacts', async t => {
	// Each chunk of keys is read 300 ms late; the first line then waits 400 ms on the input row, and
	// keys typed meanwhile are lost. Before the agent echoes, its input line is as it was: counting
	// that as "the text left the input line" typed the next messages into keys it then dropped.
	const box = await mailboxHarness({agents: [{name: 'slow', command: 'true', kind: 'claude'}], mailbox: {retryBase: '200ms', retryMax: '200ms', maxAttempts: 10}});
	try {
		const log = await box.agent('slow', {ECHO_LATE_MS: '400', ECHO_STALL_MS: '300'});
		const subjects = ['one', 'two', 'three'];
		fs.appendFileSync(box.paths.mailboxFile, subjects.map(subject => `${JSON.stringify({id: subject, from: 'sup', to: 'slow', subject})}\n`).join(''));
		await box.start({confirmMs: 3000});
		await waitFor(() => subjects.every(id => box.state(id)?.state === 'delivered'), {timeout: 30_000, what: 'all three delivered'});
		await waitFor(() => box.received(log).length >= subjects.length, {what: 'all three received'});
		t.deepEqual(box.received(log), subjects.map(subject => `[sup] ${subject}`));
	} finally {
		await box.cleanup();
	}
});
