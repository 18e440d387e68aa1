import {z} from 'zod';

/** Longest mailbox line the ingest accepts (bytes, without its newline); `send` refuses longer ones. */
export const maxLineBytes = 1024 * 1024;
/** Longest identifier (`id`, `from`, `to`, `ts`): names and addresses, never text. */
export const maxIdentifierLength = 256;
/** Longest subject: it is one line in a pane. */
export const maxSubjectLength = 4096;

/** `agent`, `session:window` (window may be an index or `window.pane`), or `user`. */
export const addressPattern = /^[\w.-]+(?::[\w.-]+)?$/;

/** A UTF-16 string with no lone surrogate: SQLite stores UTF-8, and a lone surrogate does not survive the trip. */
export function isWellFormed(text: string): boolean {
	return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const controlCharacter = /[\u0000-\u001F\u007F-\u009F]/;

const wellFormed = z.string().refine(isWellFormed, {error: 'a lone surrogate (not well-formed UTF-16; it cannot be stored)'});

/** An id, timestamp or sender: short, printable, storable exactly as written. */
const identifier = wellFormed
	.refine(value => value !== '', {error: 'empty'})
	.refine(value => value.length <= maxIdentifierLength, {error: `longer than ${maxIdentifierLength} characters`})
	.refine(value => !controlCharacter.test(value), {error: 'a control character'});

/**
 * A message as it may enter the mailbox: the one check the CLI's `send` and the router's ingest
 * share, so `send` refuses up front exactly what the router would reject.
 */
export const messageSchema = z.object({
	id: identifier,
	ts: identifier,
	from: identifier,
	to: identifier.refine(value => addressPattern.test(value), {error: 'not an address (an agent name, session:window, or user)'}),
	subject: wellFormed
		.refine(value => value.trim() !== '', {error: 'empty'})
		.refine(value => value.length <= maxSubjectLength, {error: `longer than ${maxSubjectLength} characters`}),
	body: wellFormed.refine(value => value.length < maxLineBytes, {error: `longer than ${maxLineBytes} characters`}).optional(),
});

export type MessageFields = z.input<typeof messageSchema>;

/** Why `message` cannot enter the mailbox (`bad field: to (…)`), or undefined when it can. */
export function messageProblem(message: MessageFields): string | undefined {
	const result = messageSchema.safeParse(message);
	if (result.success) {
		return undefined;
	}

	const issue = result.error.issues[0]!;
	return `bad field: ${issue.path.map(String).join('.')} (${issue.message})`;
}

/** Why a `status_update` id cannot be used, or undefined. */
export function idProblem(id: string): string | undefined {
	const result = identifier.safeParse(id);
	return result.success ? undefined : `bad field: id (${result.error.issues[0]!.message})`;
}

/** The whole mailbox line `record` would be, checked against the ingest's line limit. */
export function lineProblem(record: unknown): string | undefined {
	const bytes = Buffer.byteLength(JSON.stringify(record));
	return bytes > maxLineBytes ? `the message is ${bytes} bytes as a mailbox line; the limit is ${maxLineBytes}` : undefined;
}
