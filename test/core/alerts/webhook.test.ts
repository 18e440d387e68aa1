import test from 'ava';
import {WebhookQueue} from '../../../source/core/alerts/webhook.js';
import {nullLogger} from '../../../source/core/logger.js';
import {receiver} from './receiver.js';

test('alerts are posted as json', async t => {
	const hook = await receiver('ok');
	const queue = new WebhookQueue({url: hook.url, timeout: 1000, log: nullLogger});
	try {
		queue.enqueue({file: 'a.log', count: 2});
		queue.enqueue({file: 'b.log', count: 1});
		await queue.idle();
		t.deepEqual(hook.bodies, [{file: 'a.log', count: 2}, {file: 'b.log', count: 1}]);
		t.like(queue.stats, {sent: 2, failed: 0});
	} finally {
		await queue.stop();
		await hook.close();
	}
});

test('a receiver answering 500 is retried with backoff, then given up', async t => {
	const hook = await receiver('fail');
	const queue = new WebhookQueue({url: hook.url, timeout: 1000, log: nullLogger, retries: 2, backoff: 20});
	try {
		const started = Date.now();
		queue.enqueue({n: 1});
		await queue.idle();
		t.is(hook.hits(), 3);
		t.true(Date.now() - started >= 60, 'waited 20 + 40 ms between tries');
		t.like(queue.stats, {sent: 0, failed: 1, attempts: 3});
	} finally {
		await queue.stop();
		await hook.close();
	}
});

test('a hanging receiver times out and enqueue never waits for it', async t => {
	const hook = await receiver('hang');
	const queue = new WebhookQueue({url: hook.url, timeout: 500, log: nullLogger, retries: 1, backoff: 10});
	try {
		const started = Date.now();
		queue.enqueue({n: 1});
		queue.enqueue({n: 2});
		t.true(Date.now() - started < 250, 'enqueue returned well before a post could time out');
		await queue.idle();
		// Two tries each, every one timed out (on a loaded machine a try may time out before the receiver saw it).
		t.like(queue.stats, {sent: 0, failed: 2, attempts: 4});
		t.true(hook.hits() <= 4);
	} finally {
		await queue.stop();
		await hook.close();
	}
});

test('stop aborts a hanging post within its grace time', async t => {
	const hook = await receiver('hang');
	const queue = new WebhookQueue({url: hook.url, timeout: 60_000, log: nullLogger});
	try {
		queue.enqueue({n: 1});
		const started = Date.now();
		await queue.stop(100);
		t.true(Date.now() - started < 2000);
	} finally {
		await hook.close();
	}
});

test('the queue is bounded and drops the oldest', async t => {
	const hook = await receiver('hang');
	const queue = new WebhookQueue({url: hook.url, timeout: 60_000, log: nullLogger, maxQueue: 3});
	try {
		for (let n = 0; n < 10; n++) {
			queue.enqueue({n});
		}

		t.is(queue.stats.dropped, 6);
	} finally {
		await queue.stop(50);
		await hook.close();
	}
});
