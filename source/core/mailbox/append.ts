import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {cmuxMailboxLock, holdFlock} from './flock.js';

/** A message as written to the mailbox in CMUX's JSON form. */
export interface OutgoingMessage {
	from: string;
	to: string;
	subject: string;
	body?: string;
	id?: string;
	ts?: string;
}

/**
 * Append one message as one complete JSON line, in a single write, under CMUX's mailbox lock
 * (flock on `lockFile`, default `/tmp/cmux-mailbox.lock`), so concurrent writers (other `send`
 * processes, CMUX's tools and services, plain `echo >>`) never interleave. Returns the stored record.
 */
export async function appendMessage(mailboxFile: string, message: OutgoingMessage, options: {lockFile?: string} = {}): Promise<Required<Omit<OutgoingMessage, 'body'>> & {body?: string; status: 'submitted'}> {
	const record = {
		id: message.id ?? crypto.randomUUID(),
		ts: message.ts ?? new Date().toISOString(),
		from: message.from,
		to: message.to,
		subject: message.subject,
		...(message.body === undefined ? {} : {body: message.body}),
		status: 'submitted' as const,
	};
	fs.mkdirSync(path.dirname(mailboxFile), {recursive: true, mode: 0o700});
	const release = await holdFlock(options.lockFile ?? cmuxMailboxLock);
	try {
		fs.appendFileSync(mailboxFile, `${JSON.stringify(record)}\n`, {mode: 0o600});
	} finally {
		await release();
	}

	return record;
}
