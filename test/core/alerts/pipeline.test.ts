import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {waitFor} from '../../helpers/wait.js';
import {append, startWatch, tempProject} from '../logs/harness.js';
import {receiver} from './receiver.js';

test.serial('a log alert is posted to the webhook with its fields', async t => {
	const project = tempProject();
	const hook = await receiver('ok');
	const log = path.join(project.root, 'logs', 'app.log');
	append(log, '');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log'}], alerts: {webhook: hook.url, webhookTimeout: '1s'}});
	try {
		append(log, 'ERROR posted\n');
		await waitFor(() => hook.bodies.length > 0, {what: 'the webhook post'});
		t.like(hook.bodies[0], {type: 'log.alert', file: 'logs/app.log', count: 1, sample: ['ERROR posted'], attachment: watch.alerts()[0]!.attachment});
	} finally {
		await watch.stop();
		await hook.close();
		project.cleanup();
	}
});

test.serial('a hanging webhook does not hold up the next alerts', async t => {
	const project = tempProject();
	const hook = await receiver('hang');
	const log = path.join(project.root, 'logs', 'app.log');
	const other = path.join(project.root, 'logs', 'other.log');
	append(log, '');
	append(other, '');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/app.log'}, {path: 'logs/other.log'}], alerts: {webhook: hook.url, webhookTimeout: '30s'}});
	try {
		append(log, 'ERROR one\n');
		await waitFor(() => hook.hits() === 1, {what: 'the hanging post'});
		append(other, 'ERROR two\n');
		await waitFor(() => watch.alerts().length === 2, {timeout: 2000, what: 'the second alert while the webhook hangs'});
		const mailbox = fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8').trim().split('\n');
		t.is(mailbox.length, 2);
	} finally {
		await watch.stop();
		await hook.close();
		project.cleanup();
	}
});

test.serial('an agent missing from tmux alerts once through the same path', async t => {
	const project = tempProject();
	const watch = await startWatch(project.root, {});
	try {
		watch.orchestrator.emitEvent({type: 'agent.stale_removed', agent: 'worker-1', window: 'cmux:worker-1'});
		watch.orchestrator.emitEvent({type: 'agent.stale_removed', agent: 'worker-1', window: 'cmux:worker-1'});
		await waitFor(() => watch.alerts().length === 1);
		await watch.stop();
		t.is(watch.alerts().length, 1);
		t.like(watch.alerts()[0], {file: 'agent:worker-1', count: 1});
		t.regex(watch.alerts()[0]!.sample[0]!, /worker-1 is missing from tmux/);
		const mail = JSON.parse(fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8')) as {from: string; to: string; body: string};
		t.like(mail, {from: 'system:log-watcher', to: 'supervisor', body: watch.alerts()[0]!.attachment});
		t.true(fs.existsSync(mail.body));
	} finally {
		await watch.stop();
		project.cleanup();
	}
});

test.serial('an agent that comes back can alert again when it goes missing again', async t => {
	const project = tempProject();
	const watch = await startWatch(project.root, {});
	try {
		watch.orchestrator.emitEvent({type: 'agent.stale_removed', agent: 'w'});
		watch.orchestrator.emitEvent({type: 'agent.registered', agent: 'w'});
		watch.orchestrator.emitEvent({type: 'agent.stale_removed', agent: 'w'});
		await watch.stop();
		t.is(watch.alerts().length, 2);
	} finally {
		await watch.stop();
		project.cleanup();
	}
});
