import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import {UsageError} from '../errors.js';
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
 * Append one message as one complete JSON line, in a single write, under the mailbox lock, so
 * concurrent writers (other `send` processes, CMUX scripts, plain `echo >>`) never interleave.
 * Returns the stored record. A message the router would reject is refused first (UsageError, exit
 * 2) by the same checks the ingest runs; with `policy`, so is a recipient outside the managed session.
 */
export async function appendMessage(mailboxFile: string, message: OutgoingMessage, policy?: TargetPolicy): Promise<Required<Omit<OutgoingMessage, 'body'>> & {body?: string; status: 'submitted'}> {
	const record = {
		id: message.id ?? crypto.randomUUID(),
		ts: message.ts ?? new Date().toISOString(),
		from: message.from,
		to: message.to,
		subject: message.subject,
		...(message.body === undefined ? {} : {body: message.body}),
		status: 'submitted' as const,
	};
	checkOutgoing(record, policy);
	fs.mkdirSync(path.dirname(mailboxFile), {recursive: true, mode: 0o700});
	const release = await lockfile.lock(mailboxFile, {
		realpath: false,
		lockfilePath: `${mailboxFile}.lock`,
		stale: 10_000,
		retries: {retries: 500, minTimeout: 1, maxTimeout: 20, factor: 1.2},
	});
	try {
		fs.appendFileSync(mailboxFile, `${JSON.stringify(record)}\n`, {mode: 0o600});
	} finally {
		await release();
	}

	return record;
}
