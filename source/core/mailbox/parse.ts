import crypto from 'node:crypto';
import {addressPattern, idProblem, messageProblem} from './message-schema.js';

/** Task states a message can be moved through by `status_update` lines (SPEC "Mailbox lines"). */
export const taskStatuses = ['submitted', 'working', 'input-required', 'completed', 'failed'] as const;
export type TaskStatus = typeof taskStatuses[number];

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
const maxFieldLength = 4096;

/**
 * Parse one complete mailbox line (without its newline) in either SPEC form: CMUX's JSON (message or
 * `status_update`) or the legacy `[TS] FROM -> TO: SUBJECT (body: PATH)` text. Never throws: a bad
 * line comes back as `rejected` with the reason.
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

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return rejected('not a JSON object');
	}

	const record = value as Record<string, unknown>;
	if (record.type === 'status_update') {
		return parseStatusUpdate(record);
	}

	if (record.type !== undefined && record.type !== 'message') {
		return rejected(`unknown type: ${JSON.stringify(record.type)}`);
	}

	for (const field of ['from', 'to', 'subject'] as const) {
		const problem = stringProblem(record, field, true);
		if (problem) {
			return rejected(problem);
		}
	}

	for (const field of ['id', 'ts', 'body', 'status'] as const) {
		const problem = record[field] === null ? undefined : stringProblem(record, field, false);
		if (problem) {
			return rejected(problem);
		}
	}

	const to = record.to as string;
	if (!addressPattern.test(to)) {
		return rejected(`bad address in "to": ${JSON.stringify(to)}`);
	}

	const status = (record.status ?? 'submitted') as string;
	if (!isTaskStatus(status)) {
		return rejected(`unknown status: ${JSON.stringify(status)}`);
	}

	const body = typeof record.body === 'string' ? record.body : undefined;
	return checked({
		id: typeof record.id === 'string' && record.id !== '' ? record.id : lineId(origin, text),
		ts: typeof record.ts === 'string' && record.ts !== '' ? record.ts : now(),
		from: record.from as string,
		to,
		subject: record.subject as string,
		...(body === undefined ? {} : {body}),
		status,
	});
}

function parseStatusUpdate(record: Record<string, unknown>): ParsedLine {
	for (const field of ['id', 'status'] as const) {
		const problem = stringProblem(record, field, true);
		if (problem) {
			return rejected(problem);
		}
	}

	const status = record.status as string;
	const problem = idProblem(record.id as string);
	if (problem) {
		return rejected(problem);
	}

	return isTaskStatus(status) ? {kind: 'status', id: record.id as string, status} : rejected(`unknown status: ${JSON.stringify(status)}`);
}

/** Why `record[field]` is not an acceptable string, or undefined when it is. */
function stringProblem(record: Record<string, unknown>, field: string, required: boolean): string | undefined {
	const value = record[field];
	if (value === undefined || (required && value === '')) {
		return required ? `missing field: ${field}` : undefined;
	}

	if (typeof value !== 'string') {
		return `bad field type: ${field} (expected a string, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
	}

	// The body and the subject may be long (the line limit bounds them; CMUX has no subject limit, and
	// a long subject is delivered shortened with the whole text in an attachment); the others are names.
	if (field !== 'body' && field !== 'subject' && value.length > maxFieldLength) {
		return `field too long: ${field} (over ${maxFieldLength} characters)`;
	}

	return undefined;
}

function isTaskStatus(value: string): value is TaskStatus {
	return (taskStatuses as readonly string[]).includes(value);
}

function rejected(reason: string): ParsedLine {
	return {kind: 'rejected', reason};
}

/** A stable id for a line that carries none: the same line at the same place always gets the same id. */
function lineId(origin: LineOrigin, text: string): string {
	return `line-${crypto.createHash('sha256').update(`${origin.ino}:${origin.offset}:${text}`).digest('hex').slice(0, 20)}`;
}
