import type {Clock} from '../clock.js';
import {errorText, StoreError} from '../errors.js';
import type {EventInput} from '../events.js';
import type {MessageRow, MessageTable} from '../store/messages.js';
import {PaneDriver, type DeliveryMark, type PaneLocation} from './pane.js';
import {deliveryText} from './render.js';

/** Most messages typed in one command line, and most characters. */
const maxMessages = 32;
const maxChars = 4000;

/** A message and the text typed for it. */
export interface Typed {
	message: MessageRow;
	text: string;
}

/**
 * The queue head and the messages right behind it that can be typed with it in one go: each a first
 * try (pending, no delivery mark, due now) of one short line, none skipped or refused. Stops at the
 * first that cannot, so the queue's order holds. Only the head when it cannot go in a batch itself.
 */
export function batchFrom(head: MessageRow, following: readonly MessageRow[], options: {root: string; now: number; skip: (message: MessageRow) => boolean}): Typed[] {
	const first = {message: head, text: deliveryText(head, options.root)};
	if (!firstTry(head, options.now) || !PaneDriver.typable(first.text)) {
		return [first];
	}

	const batch = [first];
	let chars = first.text.length;
	for (const message of following) {
		// A body always makes a second line: no batch, and no text (a file lookup) to build for it.
		if (batch.length === maxMessages || !firstTry(message, options.now) || (message.body ?? '').trim() !== '' || options.skip(message)) {
			break;
		}

		const text = deliveryText(message, options.root);
		chars += text.length;
		if (chars > maxChars || !PaneDriver.typable(text)) {
			break;
		}

		batch.push({message, text});
	}

	return batch;
}

/** How many messages after the head `batchFrom` may take (the store reads this many). */
export const batchLookahead = maxMessages - 1;

function firstTry(message: MessageRow, now: number): boolean {
	return message.state === 'pending' && message.deliveryMark === null && message.nextAttemptAt <= now && message.to !== 'user';
}

/** What `sendBatch` needs of the router. */
export interface BatchHost {
	store: MessageTable;
	driver: PaneDriver;
	clock: Clock;
	emitAll: (events: EventInput[]) => void;
	/** Count a try that did not deliver (retry with backoff, or dead letter). */
	failed: (message: MessageRow, error: string) => void;
}

/**
 * Type a batch into the pane in one command line and count as delivered the leading run the pane
 * shows, in order, above its input line. The rest get a retry with their delivery mark kept, so
 * their next try looks at the pane before typing. Returns how many were shown (undefined: tmux failed).
 */
export async function sendBatch(host: BatchHost, batch: readonly Typed[], location: PaneLocation): Promise<number | undefined> {
	const {driver, store, clock} = host;
	const texts = batch.map(({text}) => text);
	// The mark is where the cursor was at the last read: never later than where the typing starts.
	const mark: DeliveryMark = {pane: location.pane, row: location.historySize + location.cursorY, historyLimit: location.historyLimit};
	store.markDeliveringAll(batch.map(({message}) => message.seq), JSON.stringify(mark));
	let shown: number;
	try {
		shown = await driver.confirmLines(await driver.typeLines(location.pane, texts), texts);
	} catch (error) {
		if (error instanceof StoreError) {
			throw error;
		}

		for (const {message} of batch) {
			host.failed(message, `tmux: ${errorText(error)}`);
		}

		return undefined;
	}

	const confirmed = batch.slice(0, shown).map(({message}) => message);
	if (confirmed.length > 0) {
		store.markDeliveredAll(confirmed.map(message => message.seq), new Date(clock.now()).toISOString());
		host.emitAll(confirmed.map(message => ({type: 'message.delivered', id: message.id, from: message.from, to: message.to, attempts: message.attempts + 1})));
	}

	for (const {message} of batch.slice(shown)) {
		host.failed(message, 'unconfirmed: not shown in the pane after the messages typed with it');
	}

	return shown;
}
