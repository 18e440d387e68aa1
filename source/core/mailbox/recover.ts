import {z} from 'zod';
import {errorText} from '../errors.js';
import type {EventInput} from '../events.js';
import {parseJsonText} from '../input.js';
import type {MessageRow, MessageTable} from '../store/messages.js';
import type {DeliveryMark, PaneDriver} from './pane.js';
import {squash} from './pane-text.js';
import {deliveryText} from './render.js';

/**
 * After a restart, settle every message left in `delivering` (the orchestrator died during its
 * send) by looking at the pane from the row where the send started: the text is there → delivered
 * (pressing Enter first if it is still on the input line); it is not → pending again. When the pane
 * is gone or its history was trimmed past the mark, nobody can know, so it is retried and flagged
 * `maybe_duplicate`.
 */
export async function recoverDelivering(options: {store: MessageTable; driver: PaneDriver; root: string; emit: (event: EventInput) => void}): Promise<void> {
	const {store, driver, emit} = options;
	for (const message of store.delivering()) {
		const text = deliveryText(message, options.root);
		const outcome = await inspect(message, text, driver).catch((error: unknown) => ({found: false, certain: false, error: errorText(error)}));
		if (outcome.found) {
			store.markDelivered(message.seq, new Date().toISOString());
			emit({type: 'message.delivered', id: message.id, from: message.from, to: message.to, attempts: message.attempts + 1, recovered: true});
		} else {
			const error = outcome.certain
				? 'interrupted by a restart before it reached the pane'
				: `interrupted by a restart; cannot tell whether it reached the pane (${'error' in outcome ? outcome.error : 'pane gone or history trimmed'})`;
			store.markRetry(message.seq, error, message.attempts, 0, {maybeDuplicate: !outcome.certain});
		}
	}
}

async function inspect(message: MessageRow, text: string, driver: PaneDriver): Promise<{found: boolean; certain: boolean}> {
	const seen = await shownSinceMark(message, text, driver);
	if (!seen.shown) {
		return {found: false, certain: seen.certain};
	}

	// Still on the input line: `confirm` presses Enter, but only after waiting a moment, because
	// the crashed process may have left a `send-keys Enter` of its own in flight.
	return {found: await driver.confirm(seen.pane, text), certain: true};
}

/**
 * Whether the pane shows `text`'s first line anywhere from the row its send started on (the
 * message's delivery mark) down. `certain`: a "no" can be trusted (the pane is there and its
 * history was not trimmed past the mark). A message without a mark, or whose pane is gone, is
 * not shown and not certain.
 */
export async function shownSinceMark(message: MessageRow, text: string, driver: PaneDriver): Promise<{shown: false; certain: boolean} | {shown: true; pane: string}> {
	const mark = message.deliveryMark ? parseMark(message) : undefined;
	const location = mark && await driver.locate(mark.pane);
	if (!mark || !location) {
		return {shown: false, certain: false};
	}

	const certain = neverTrimmed(location.historySize, location.historyLimit);
	const rows = await driver.screen(location.pane, mark.row - location.historySize, true);
	const header = squash(text.split('\n')[0]!);
	return squash(rows.join(' ')).includes(header) ? {shown: true, pane: location.pane} : {shown: false, certain};
}

/**
 * Whether a pane's history can not yet have been trimmed, so rows (and a mark) have not shifted.
 * tmux trims a full history by a tenth of its limit at once (grid_collect_history), so after any
 * trim the size stays within that tenth below the limit: only a size below it is sure.
 */
function neverTrimmed(historySize: number, historyLimit: number): boolean {
	return historySize < historyLimit - Math.max(1, Math.floor(historyLimit / 10));
}

const markSchema = z.object({pane: z.string().min(1), row: z.number().int(), historyLimit: z.number().int().min(0)});

/** The stored delivery mark; a corrupt one throws an InputError (the message is then retried, flagged as a possible duplicate). */
function parseMark(message: MessageRow): DeliveryMark {
	const parsed = parseJsonText(markSchema, message.deliveryMark ?? '', `messages row ${message.id} delivery_mark`);
	if (!parsed.ok) {
		throw parsed.error;
	}

	return parsed.value;
}
