import test from 'ava';
import {appendMessage} from '../../../source/core/mailbox/append.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

// A row whose state the store silently refuses to change (what a lone-surrogate id did before ids
// were checked and rows keyed by seq): a real SQLite trigger ignores every update of it.
const freeze = (id: string) => `CREATE TRIGGER freeze_${id} BEFORE UPDATE ON messages WHEN old.id = '${id}' BEGIN SELECT RAISE(IGNORE); END`;

test.serial('a row whose state cannot change is dead-lettered once and never delivered again, and later mail goes on', async t => {
	const box = await mailboxHarness({mailbox: {retryBase: '10ms', retryMax: '20ms', maxAttempts: 3}});
	try {
		const log = await box.agent('worker-1');
		box.store().db.exec(`${freeze('stuck')}; ${freeze('stuckuser')}`);
		await box.start();
		await appendMessage(box.paths.mailboxFile, {id: 'stuck', from: 'sup', to: 'worker-1', subject: 'once'});
		await appendMessage(box.paths.mailboxFile, {id: 'stuckuser', from: 'sup', to: 'user', subject: 'once'});
		await appendMessage(box.paths.mailboxFile, {id: 'next', from: 'sup', to: 'worker-1', subject: 'after'});
		await box.waitState('next', 'delivered');
		await waitFor(() => box.events.filter(event => event.type === 'message.dead_letter').length >= 2, {what: 'both dead letters'});
		await waitFor(() => box.received(log).length >= 1);
		// Its `delivering` mark could not be stored, so it was never typed; the message behind it was not held up.
		t.deepEqual(box.received(log), ['[sup] after']);
		const about = (id: string, type: string) => box.events.filter(event => event.type === type && 'id' in event && event.id === id).length;
		t.is(about('stuck', 'message.delivered'), 0);
		t.is(about('stuckuser', 'message.delivered'), 0);
		t.is(about('stuck', 'message.dead_letter'), 1);
		t.is(about('stuckuser', 'message.dead_letter'), 1);
		const error = (id: string) => String((box.events.find(event => event.type === 'message.dead_letter' && 'id' in event && event.id === id) as {error?: string}).error);
		t.regex(error('stuck'), /the store failed 3 times: message row \d+: its delivery state did not change/);
		t.regex(error('stuckuser'), /delivered, but the store could not record it/);
	} finally {
		await box.cleanup();
	}
});
