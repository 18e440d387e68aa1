import type {CmuxEvent} from '../core/events.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {formatEventJson, formatEventLine} from './format.js';

/**
 * Print every event to `output` as it happens: one readable line each, or one JSON object per line
 * with `json`. The lines of one turn of the event loop go out in one write (a burst of deliveries
 * is one system call, not one each), right after the turn: a consumer sees each event within a
 * millisecond or so. Returns the function that unsubscribes and writes what is still pending.
 */
export function printEvents(orchestrator: Orchestrator, options: {json: boolean; output?: NodeJS.WritableStream}): () => void {
	const output = options.output ?? process.stdout;
	const format = options.json ? formatEventJson : formatEventLine;
	let pending: string[] = [];
	let flushing: NodeJS.Immediate | undefined;
	const flush = () => {
		clearImmediate(flushing);
		flushing = undefined;
		if (pending.length > 0) {
			const text = pending.join('');
			pending = [];
			output.write(text);
		}
	};

	const listener = (event: CmuxEvent) => {
		pending.push(`${format(event)}\n`);
		flushing ??= setImmediate(flush);
	};

	orchestrator.prependListener('event', listener);
	return () => {
		orchestrator.off('event', listener);
		flush();
	};
}
