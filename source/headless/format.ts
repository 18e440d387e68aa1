import type {CmuxEvent} from '../core/events.js';
import {neutralise} from '../core/mailbox/render.js';

/**
 * One readable line: `HH:MM:SS.mmm type key=value …` (values with spaces or quotes are JSON-quoted).
 * Control characters are neutralised as in panes: JSON quoting leaves C1 characters and a bare ESC
 * in an unquoted value would pass through to the operator's terminal.
 */
export function formatEventLine(event: CmuxEvent): string {
	const time = event.ts.slice(11, 23);
	const fields = Object.entries(event)
		.filter(([key]) => key !== 'ts' && key !== 'type' && key !== 'seq')
		.map(([key, value]) => `${key}=${formatValue(value)}`);
	return neutralise([time, event.type, ...fields].join(' ').replaceAll('\n', '\\n').replaceAll('\t', '\\t'));
}

/** One NDJSON line (no trailing newline); the store's row number is left out, as it is internal. */
export function formatEventJson(event: CmuxEvent): string {
	const {seq: _seq, ...rest} = event;
	return JSON.stringify(rest);
}

function formatValue(value: unknown): string {
	if (typeof value === 'string') {
		return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
	}

	return JSON.stringify(value) ?? 'null';
}
