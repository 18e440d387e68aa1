import type {CmuxEvent} from '../core/events.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {formatEventJson, formatEventLine} from './format.js';

/**
 * Print every event to `output` as it happens: one readable line each, or one JSON object per line
 * with `json`. Writes go straight to the stream (synchronous for files and pipes on Linux), so a
 * consumer sees each event within milliseconds. Returns the unsubscribe function.
 */
export function printEvents(orchestrator: Orchestrator, options: {json: boolean; output?: NodeJS.WritableStream}): () => void {
	const output = options.output ?? process.stdout;
	const format = options.json ? formatEventJson : formatEventLine;
	const listener = (event: CmuxEvent) => {
		output.write(`${format(event)}\n`);
	};

	// First in line: the consumer sees the event before other subscribers (health, supervision) run.
	orchestrator.prependListener('event', listener);
	return () => orchestrator.off('event', listener);
}
