import {z} from 'zod';
import {addressPattern, idProblem} from './message-schema.js';

/** Task states a message can be moved through by `status_update` lines (SPEC "Mailbox lines"). */
export const taskStatuses = ['submitted', 'working', 'input-required', 'completed', 'failed'] as const;
export type TaskStatus = typeof taskStatuses[number];

const maxFieldLength = 4096;

function typeName(value: unknown): string {
	return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** A string; its errors name the field (`missing field: to`, `bad field type: to (…)`, `field too long: to (…)`). */
function text(field: string, options: {long?: boolean} = {}) {
	const schema = z.string({
		error: issue => issue.input === undefined ? `missing field: ${field}` : `bad field type: ${field} (expected a string, got ${typeName(issue.input)})`,
	});
	// The body and the subject may be long (the line limit bounds them; CMUX has no subject limit, and
	// a long subject is delivered shortened with the whole text in an attachment); the others are names.
	return options.long ? schema : schema.max(maxFieldLength, {error: `field too long: ${field} (over ${maxFieldLength} characters)`});
}

/** A field every line of its kind carries: absent or empty is missing. */
function required(field: string, options: {long?: boolean} = {}) {
	return text(field, options).min(1, {error: `missing field: ${field}`});
}

/** A field a line may leave out; null counts as absent. */
function optional(field: string, options: {long?: boolean} = {}) {
	return text(field, options).nullish();
}

const status = z.enum(taskStatuses, {error: issue => `unknown status: ${JSON.stringify(issue.input)}`});

/** A JSON message line: the shape first (every field's presence and type), then its values. */
export const messageLineSchema = z.object({
	from: required('from'),
	to: required('to'),
	subject: required('subject', {long: true}),
	id: optional('id'),
	ts: optional('ts'),
	body: optional('body', {long: true}),
	status: optional('status'),
}).pipe(z.object({
	from: z.string(),
	to: z.string().regex(addressPattern, {error: issue => `bad address in "to": ${JSON.stringify(issue.input)}`}),
	subject: z.string(),
	id: z.string().nullish(),
	ts: z.string().nullish(),
	body: z.string().nullish(),
	status: status.nullish().transform(value => value ?? 'submitted'),
}));

/** A JSON `status_update` line: moves the task status of a known message. */
export const statusLineSchema = z.object({
	id: required('id'),
	status: required('status'),
}).pipe(z.object({
	id: z.string().superRefine((id, context) => {
		const problem = idProblem(id);
		if (problem) {
			context.addIssue({code: 'custom', message: problem});
		}
	}),
	status,
}));

/** What a JSON line is, by its `type` (a message when absent). */
export const lineTypeSchema = z.looseObject({
	type: z.enum(['message', 'status_update'], {error: issue => `unknown type: ${JSON.stringify(issue.input)}`}).optional(),
}, {error: 'not a JSON object'});

/**
 * The reason a line was rejected: the issue of the earliest field in `order` (zod reports every
 * issue; the one a writer should fix first is the one the hand parser used to name).
 */
export function firstReason(error: z.ZodError, order: readonly string[]): string {
	const rank = (issue: z.ZodError['issues'][number]) => {
		const index = order.indexOf(String(issue.path[0]));
		return index === -1 ? order.length : index;
	};

	return [...error.issues].sort((a, b) => rank(a) - rank(b))[0]!.message;
}
