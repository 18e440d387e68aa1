import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';
import {cmuxMailboxLock, holdFlock} from './flock.js';
import {lineProblem, messageProblem} from './message-schema.js';
import {targetProblem, type TargetPolicy} from './targets.js';

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
 * Refuse (UsageError, exit 2) a message the router would reject: the same checks the ingest runs
 * on every line, plus, with `policy`, a recipient outside the managed session. `send` calls it up
 * front; every writer through appendMessage passes it too.
 */
export function checkOutgoing(message: OutgoingMessage & {id: string; ts: string}, policy?: TargetPolicy): void {
	const problem = messageProblem(message) ?? (policy && targetProblem(message.to, policy)) ?? lineProblem({...message, status: 'submitted'});
	if (problem) {
		throw new UsageError(`refused: ${problem}`);
	}
}

/**
 * Append one message as one complete JSON line, in a single write, under CMUX's mailbox lock
 * (flock on `lockFile`, default `/tmp/cmux-mailbox.lock`), so concurrent writers (other `send`
 * processes, CMUX's tools and services, plain `echo >>`) never interleave. Returns the stored
 * record. A message the router would reject is refused first (UsageError, exit 2) by the same
 * checks the ingest runs; with `policy`, so is a recipient outside the managed session.
 * `written` is called once the line is in the file, before the lock's release is confirmed.
 */
export async function appendMessage(mailboxFile: string, message: OutgoingMessage, options: {lockFile?: string; policy?: TargetPolicy; written?: () => void} = {}): Promise<Required<Omit<OutgoingMessage, 'body'>> & {body?: string; status: 'submitted'}> {
	const record = {
		id: message.id ?? crypto.randomUUID(),
		ts: message.ts ?? new Date().toISOString(),
		from: message.from,
		to: message.to,
		subject: message.subject,
		...(message.body === undefined ? {} : {body: message.body}),
		status: 'submitted' as const,
	};
	checkOutgoing(record, options.policy);
	fs.mkdirSync(path.dirname(mailboxFile), {recursive: true, mode: 0o700});
	const release = await holdFlock(options.lockFile ?? cmuxMailboxLock);
	try {
		fs.appendFileSync(mailboxFile, `${JSON.stringify(record)}\n`, {mode: 0o600});
		// The line is in the file: a caller may announce it without waiting for the lock's release.
		options.written?.();
	} finally {
		await release();
	}

	return record;
}
