import type {CmuxEvent} from '../core/events.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {formatEventJson, formatEventLine} from './format.js';

/**
 * Print every event to `output` as it happens: one readable line each, or one JSON object per line
 * with `json`. The first event of a turn of the event loop is written at once, before the other
 * subscribers handle it (a consumer waiting for an exit sees it without waiting for their work);
 * the rest of that turn's lines (a burst of deliveries) go out in one write right after the turn,
 * one system call instead of one each. Returns the function that unsubscribes and writes what is
 * still pending.
 */
export function printEvents(orchestrator: Orchestrator, options: {json: boolean; output?: NodeJS.WritableStream}): () => void {
	const output = options.output ?? process.stdout;
	const format = options.json ? formatEventJson : formatEventLine;
	let pending: string[] = [];
	// Set from a turn's first write until the end of that turn.
	let turn: NodeJS.Immediate | undefined;
	const flush = () => {
		clearImmediate(turn);
		turn = undefined;
		if (pending.length > 0) {
			const text = pending.join('');
			pending = [];
			output.write(text);
		}
	};

	const listener = (event: CmuxEvent) => {
		const line = `${format(event)}\n`;
		if (turn) {
			pending.push(line);
		} else {
			output.write(line);
			turn = setImmediate(flush);
		}
	};

	orchestrator.prependListener('event', listener);
	return () => {
		orchestrator.off('event', listener);
		flush();
	};
}
