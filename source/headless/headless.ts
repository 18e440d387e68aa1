import type {CmuxEvent} from '../core/events.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {formatEventJson, formatEventLine} from './format.js';

/**
 * Print every event to `output` as it happens: one readable line each, or one JSON object per line
 * with `json`. The first event of a callback is written at once, before the other subscribers
 * handle it (a consumer waiting for an exit or a delivery sees it without waiting for their work);
 * the events that follow in the same callback go out together in one write as it returns (a burst
 * of deliveries is two system calls, not one each). Returns the function that unsubscribes and
 * writes what is still pending.
 */
export function printEvents(orchestrator: Orchestrator, options: {json: boolean; output?: NodeJS.WritableStream}): () => void {
	const output = options.output ?? process.stdout;
	const format = options.json ? formatEventJson : formatEventLine;
	let pending: string[] = [];
	/** Set from a write until the end of the callback it happened in. */
	let wrote = false;
	const flush = () => {
		wrote = false;
		if (pending.length > 0) {
			const text = pending.join('');
			pending = [];
			output.write(text);
		}
	};

	const listener = (event: CmuxEvent) => {
		if (wrote) {
			pending.push(`${format(event)}\n`);
			return;
		}

		wrote = true;
		queueMicrotask(flush);
		output.write(`${format(event)}\n`);
	};

	orchestrator.prependListener('event', listener);
	return () => {
		orchestrator.off('event', listener);
		flush();
	};
}
