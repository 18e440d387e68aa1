import type {CmuxEvent} from '../core/events.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {formatEventJson, formatEventLine} from './format.js';

/** An event after this long without output is written at once; closer together, events are batched. */
const quietMs = 10;

/**
 * Print every event to `output` as it happens: one readable line each, or one JSON object per line
 * with `json`. An event after a quiet spell is written at once, before the other subscribers handle
 * it (a consumer waiting for an exit sees it without waiting for their work); while events stream
 * (a burst of deliveries), the lines of one turn of the event loop go out in one write right after
 * the turn, one system call instead of one each. Returns the function that unsubscribes and writes
 * what is still pending.
 */
export function printEvents(orchestrator: Orchestrator, options: {json: boolean; output?: NodeJS.WritableStream; now?: () => number}): () => void {
	const output = options.output ?? process.stdout;
	const format = options.json ? formatEventJson : formatEventLine;
	const now = options.now ?? (() => performance.now());
	let pending: string[] = [];
	let flushing: NodeJS.Immediate | undefined;
	let lastWrite = Number.NEGATIVE_INFINITY;
	const write = (text: string) => {
		lastWrite = now();
		output.write(text);
	};

	const flush = () => {
		clearImmediate(flushing);
		flushing = undefined;
		if (pending.length > 0) {
			const text = pending.join('');
			pending = [];
			write(text);
		}
	};

	const listener = (event: CmuxEvent) => {
		const line = `${format(event)}\n`;
		if (!flushing && now() - lastWrite >= quietMs) {
			write(line);
			return;
		}

		pending.push(line);
		flushing ??= setImmediate(flush);
	};

	orchestrator.prependListener('event', listener);
	return () => {
		orchestrator.off('event', listener);
		flush();
	};
}
