import crypto from 'node:crypto';
import {firstReason, lineTypeSchema, messageLineSchema, statusLineSchema, type TaskStatus} from './line-schema.js';
import {addressPattern, messageProblem} from './message-schema.js';

export {taskStatuses, type TaskStatus} from './line-schema.js';

/** The order fields are checked in, so a line with several problems is rejected for the first. */
const messageFields = ['from', 'to', 'subject', 'id', 'ts', 'body', 'status'] as const;
const statusFields = ['id', 'status'] as const;

/** A message read from the mailbox, typed. */
export interface ParsedMessage {
	id: string;
	ts: string;
	from: string;
	to: string;
	subject: string;
	body?: string;
	status: TaskStatus;
}

/** What one mailbox line means. */
export type ParsedLine =
	| {kind: 'message'; message: ParsedMessage}
	| {kind: 'status'; id: string; status: TaskStatus}
	| {kind: 'blank'}
	| {kind: 'rejected'; reason: string};

/** Where a line sits, so a line without an id still gets the same id every time it is read. */
export interface LineOrigin {
	ino: number;
	offset: number;
}

const legacyPattern = /^\[([^\]]+)\] (\S+) -> (\S+?): (.*?)(?: \(body: (.*)\))?$/;

/**
 * Parse one complete mailbox line (without its newline) in either SPEC form: CMUX's JSON (message or
 * `status_update`, read by the zod schemas of line-schema.ts) or the legacy
 * `[TS] FROM -> TO: SUBJECT (body: PATH)` text (a regex). Never throws: a bad line comes back as
 * `rejected` with the reason, which names the field.
 */
export function parseLine(raw: string, origin: LineOrigin, now: () => string = () => new Date().toISOString()): ParsedLine {
	const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
	if (text.trim() === '') {
		return {kind: 'blank'};
	}

	if (text.trimStart().startsWith('{')) {
		return parseJson(text, origin, now);
	}

	const legacy = legacyPattern.exec(text);
	if (!legacy) {
		return rejected('not JSON and not the legacy "[TS] FROM -> TO: SUBJECT" form');
	}

	const [, ts, from, to, subject, body] = legacy as unknown as [string, string, string, string, string, string | undefined];
	if (!addressPattern.test(to)) {
		return rejected(`bad address in "to": ${JSON.stringify(to)}`);
	}

	if (subject.trim() === '') {
		return rejected('missing field: subject');
	}

	return checked({id: lineId(origin, text), ts, from, to, subject, ...(body === undefined ? {} : {body}), status: 'submitted'});
}

/** Every field must survive the store as written (no lone surrogates, printable identifiers, bounded). */
function checked(message: ParsedMessage): ParsedLine {
	const problem = messageProblem(message);
	return problem === undefined ? {kind: 'message', message} : rejected(problem);
}

function parseJson(text: string, origin: LineOrigin, now: () => string): ParsedLine {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return rejected('not valid JSON');
	}

	const kind = lineTypeSchema.safeParse(value);
	if (!kind.success) {
		return rejected(firstReason(kind.error, ['type']));
	}

	if (kind.data.type === 'status_update') {
		const update = statusLineSchema.safeParse(value);
		return update.success ? {kind: 'status', id: update.data.id, status: update.data.status} : rejected(firstReason(update.error, statusFields));
	}

	const parsed = messageLineSchema.safeParse(value);
	if (!parsed.success) {
		return rejected(firstReason(parsed.error, messageFields));
	}

	const {id, ts, from, to, subject, body, status} = parsed.data;
	// The shared message schema (the one `send` checks with) has the last word on every value.
	return checked({
		// An empty id or ts is as good as none.
		id: id ? id : lineId(origin, text),
		ts: ts ? ts : now(),
		from,
		to,
		subject,
		...(typeof body === 'string' ? {body} : {}),
		status,
	});
}

function rejected(reason: string): ParsedLine {
	return {kind: 'rejected', reason};
}

/** A stable id for a line that carries none: the same line at the same place always gets the same id. */
function lineId(origin: LineOrigin, text: string): string {
	return `line-${crypto.createHash('sha256').update(`${origin.ino}:${origin.offset}:${text}`).digest('hex').slice(0, 20)}`;
}
