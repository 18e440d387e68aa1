import path from 'node:path';
import {journalDayDir} from '../journal/journal.js';
import {appendMessage} from '../mailbox/append.js';
import type {ServiceContext} from '../orchestrator.js';
import {activityRows} from './activity-store.js';

/**
 * What a restarted supervisor is told: where today's journal is, how much mail waits, and the
 * state of every worker. Delivered through the mailbox, so it arrives once the prompt is idle.
 */
export async function recoveryMessage(context: ServiceContext, supervisor: string): Promise<void> {
	const {store, paths, clock} = context;
	const pending = store.supervision.pendingMailTotal();
	const workers = activityRows(store).filter(row => row.agent !== supervisor)
		.map(row => `- ${row.agent}: ${row.state} since ${row.since} (${row.source})`);
	const body = [
		`You were restarted by cmux-tui at ${new Date(clock.now()).toISOString()}.`,
		`Journal: ${path.join(journalDayDir(paths.journalDir, new Date(clock.now())), 'journal.md')}`,
		`Pending mail: ${pending} message(s)`,
		'Workers:',
		...(workers.length > 0 ? workers : ['- (none known)']),
	].join('\n');
	await appendMessage(paths.mailboxFile, {from: 'cmux-tui', to: supervisor, subject: 'recovery: you were restarted', body});
}
