import {z} from 'zod';

/*
 * The control socket's wire format: one request per connection, one JSON object on one line
 * (ending in "\n", or the end of the stream), answered by one JSON line. See README "Control socket".
 */

/** A request longer than this is refused (a message body may be up to 1 MiB of text, escaped). */
export const maxRequestBytes = 4 * 1024 * 1024;
/** A request that has not arrived completely after this long is refused and the connection closed. */
export const requestTimeoutMs = 5000;

export const requestSchema = z.strictObject({
	id: z.union([z.string().max(200), z.number()], {error: 'a string or a number'}).optional(),
	command: z.string({error: 'a command name such as "agents.kill"'}).min(1, {error: 'a command name such as "agents.kill"'}).max(200, {error: 'a command name (at most 200 characters)'}),
	params: z.record(z.string(), z.unknown(), {error: 'an object'}).optional(),
});


export const errorSchema = z.object({
	message: z.string(),
	exitCode: z.number().int(),
	type: z.string().optional(),
});

export const replySchema = z.discriminatedUnion('ok', [
	z.object({id: z.union([z.string(), z.number()]).optional(), ok: z.literal(true), result: z.unknown()}),
	z.object({id: z.union([z.string(), z.number()]).optional(), ok: z.literal(false), error: errorSchema}),
]);

export type ControlReply = z.infer<typeof replySchema>;
