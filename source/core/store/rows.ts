import {z} from 'zod';
import {InputError} from '../errors.js';
import type {CmuxEvent} from '../events.js';
import {parseJsonText, parseValue, type ParseResult} from '../input.js';

/**
 * Rows whose JSON the store keeps are input like any file: another version of cmux-tui, a manual
 * edit or a damaged page may have written them. They are parsed on read; a corrupt row is skipped
 * with its reason handed to the caller's log, never thrown into a report.
 */
/** What a table calls with a row it skipped because its JSON does not parse. */
export type CorruptRow = (error: InputError) => void;

/** The JSON columns of `alert_windows` and `alert_outbox`. */
export const linesSchema = z.array(z.string());
export const matchesSchema = z.array(linesSchema);
export const batchSchema = z.object({count: z.number().int().min(0), matches: matchesSchema, firstAt: z.number(), lastAt: z.number()});

const storedEventSchema = z.looseObject({type: z.string().min(1), ts: z.string().min(1)});

const serviceStateSchema = z.object({
	name: z.string(),
	status: z.enum(['healthy', 'degraded', 'unhealthy', 'off']),
	detail: z.record(z.string(), z.unknown()),
	updatedAt: z.string(),
});

export type ParsedServiceState = z.infer<typeof serviceStateSchema>;

/** One `events` row: its `data` JSON must be an event (a `type` and a `ts` at least). */
export function parseEventRow(row: {id: number; data: string}): ParseResult<CmuxEvent & {seq: number}> {
	const parsed = parseJsonText(storedEventSchema, row.data, `events row ${row.id}`);
	return parsed.ok ? {ok: true, value: {...parsed.value as unknown as CmuxEvent, seq: row.id}} : parsed;
}

/** One `service_state` row, its `detail` JSON decoded. */
export function parseServiceStateRow(row: {name: string; status: string; detail: string; updatedAt: string}): ParseResult<ParsedServiceState> {
	const source = `service_state row ${JSON.stringify(row.name)}`;
	const detail = parseJsonText(z.record(z.string(), z.unknown()), row.detail, source);
	if (!detail.ok) {
		return {ok: false, error: new InputError(source, 'detail', detail.error.message.slice(source.length + 2), {cause: detail.error})};
	}

	return parseValue(serviceStateSchema, {...row, detail: detail.value}, source);
}
