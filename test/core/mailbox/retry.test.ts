import test from 'ava';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {FakeClock} from '../../helpers/fake-clock.js';
import {runCli} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

test.serial('a missing recipient that appears later gets its pending messages in order', async t => {
	const box = await mailboxHarness({mailbox: {retryBase: '50ms', retryMax: '200ms', maxAttempts: 50}});
	try {
		await box.start();
		for (const index of [1, 2, 3]) {
			await appendMessage(box.paths.mailboxFile, {id: `late${index}`, from: 'sup', to: 'late', subject: `m${index}`});
		}

		await waitFor(() => box.events.filter(event => event.type === 'message.retry').length >= 3, {what: 'retries'});
		t.like(box.state('late1'), {state: 'pending'});
		t.regex(box.state('late1')!.lastError ?? '', /recipient missing/);
		t.like(box.events.find(event => event.type === 'message.retry'), {id: 'late1', from: 'sup', to: 'late'});
		const log = await box.agent('late');
		await box.waitState('late3', 'delivered');
		await waitFor(() => box.received(log).length >= 3);
		t.deepEqual(box.received(log), ['[sup] m1', '[sup] m2', '[sup] m3']);
	} finally {
		await box.cleanup();
	}
});

test.serial('a message that cannot be delivered becomes a dead letter and status lists it', async t => {
	const box = await mailboxHarness({mailbox: {retryBase: '10ms', retryMax: '40ms', maxAttempts: 3}});
	try {
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'gone', from: 'sup', to: 'nobody', subject: 'hello?'});
		await box.waitState('gone', 'dead');
		t.like(box.state('gone'), {state: 'dead', attempts: 3});
		t.like(box.events.find(event => event.type === 'message.dead_letter'), {id: 'gone', from: 'sup', to: 'nobody', attempts: 3});
		t.is(box.events.filter(event => event.type === 'message.retry').length, 2);
		await box.stop();
		const json = await runCli(['status', '--json'], {cwd: box.root});
		const report = JSON.parse(String(json.stdout)) as {mailbox: {status: string; deadLetters: Array<{id: string; to: string}>}};
		t.is(report.mailbox.status, 'degraded');
		t.like(report.mailbox.deadLetters[0], {id: 'gone', to: 'nobody'});
		const text = await runCli(['status'], {cwd: box.root});
		t.regex(String(text.stdout), /dead .* sup -> nobody: "hello\?" \(3 tries: recipient missing/);
		t.is(text.exitCode, 1);
	} finally {
		await box.cleanup();
	}
});

test.serial('a dead letter does not hold back the messages behind it', async t => {
	const box = await mailboxHarness({mailbox: {retryBase: '10ms', retryMax: '20ms', maxAttempts: 2}});
	try {
		const log = await box.agent('worker-1');
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'a', from: 'sup', to: 'cmux:missing', subject: 'x'});
		await appendMessage(box.paths.mailboxFile, {id: 'b', from: 'sup', to: 'worker-1', subject: 'y'});
		await box.waitState('a', 'dead');
		await box.waitState('b', 'delivered');
		await waitFor(() => box.received(log).length >= 1);
		t.deepEqual(box.received(log), ['[sup] y']);
	} finally {
		await box.cleanup();
	}
});

test.serial('retry delays double from retryBase to retryMax on the clock and the last try is a dead letter', async t => {
	// Real tmux and a real store, time on a fake clock: each try happens exactly when its delay is
	// over, never a millisecond before, whatever the load on the machine.
	const clock = new FakeClock();
	const box = await mailboxHarness({mailbox: {retryBase: '1s', retryMax: '4s', maxAttempts: 5}});
	try {
		await box.start({clock});
		const started = clock.now();
		await appendMessage(box.paths.mailboxFile, {id: 'far', from: 'sup', to: 'nobody', subject: 'hello?'});
		const tries = () => box.events.filter(event => (event.type === 'message.retry' || event.type === 'message.dead_letter') && event.id === 'far');
		await waitFor(() => tries().length === 1, {what: 'the first try'});
		for (const delay of [1000, 2000, 4000, 4000]) {
			const seen = tries().length;
			t.like(tries().at(-1), {type: 'message.retry', attempt: seen, delayMs: delay});
			await waitFor(() => clock.pending().includes(delay), {what: `the ${delay} ms wake-up`});
			clock.advance(delay - 1);
			t.deepEqual(clock.pending(), [1], `no try before ${delay} ms`);
			t.is(tries().length, seen);
			clock.advance(1);
			await waitFor(() => tries().length === seen + 1, {what: `try ${seen + 1}`});
		}

		t.deepEqual(tries().map(event => Date.parse(event.ts) - started), [0, 1000, 3000, 7000, 11_000]);
		t.like(tries().at(-1), {type: 'message.dead_letter', attempts: 5});
		t.like(box.state('far'), {state: 'dead', attempts: 5});
	} finally {
		await box.cleanup();
	}
});

test.serial('an agent that takes its input after the confirm gave up gets the message once, not typed again', async t => {
	// The confirm gives up after 0.6 s, the agent takes the text at 1.8 s, the next try comes at 3.6 s.
	const box = await mailboxHarness({mailbox: {retryBase: '3s', retryMax: '3s', maxAttempts: 10}});
	try {
		const log = await box.agent('slow', {ECHO_LATE_MS: '1800'});
		await box.start({confirmMs: 600});
		await appendMessage(box.paths.mailboxFile, {id: 'late', from: 'sup', to: 'slow', subject: 'take your time'});
		await box.waitState('late', 'delivered', 15_000);
		t.regex(String(box.events.find(event => event.type === 'message.retry')?.error), /^unconfirmed/, 'the first try gave up before the agent took the text');
		await waitFor(() => box.received(log).length >= 1);
		// Time for a second copy, were one typed, to be taken too.
		await new Promise(resolve => {
			setTimeout(resolve, 2500);
		});
		t.deepEqual(box.received(log), ['[sup] take your time']);
		t.like(box.state('late'), {state: 'delivered', maybeDuplicate: 0});
	} finally {
		await box.cleanup();
	}
});

test.serial('when the pane no longer shows where a try started, the text is typed again and flagged maybe_duplicate', async t => {
	const box = await mailboxHarness({mailbox: {retryBase: '3s', retryMax: '3s', maxAttempts: 10}});
	try {
		// A history of 20 lines: the agent's 200 lines of output push the first try's row out of it.
		await box.tmux.run(['set-option', '-g', 'history-limit', '20']);
		const log = await box.agent('busy', {ECHO_LATE_MS: '1800', ECHO_AFTER_LINES: '200'});
		await box.start({confirmMs: 600});
		await appendMessage(box.paths.mailboxFile, {id: 'lost', from: 'sup', to: 'busy', subject: 'where did it go'});
		await box.waitState('lost', 'delivered', 20_000);
		await waitFor(() => box.received(log).length >= 2, {timeout: 10_000});
		// It did arrive twice: nobody could tell, and the row says so.
		t.deepEqual(box.received(log), ['[sup] where did it go', '[sup] where did it go']);
		t.like(box.state('lost'), {state: 'delivered', maybeDuplicate: 1});
	} finally {
		await box.cleanup();
	}
});
