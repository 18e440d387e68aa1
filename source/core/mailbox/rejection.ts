import type {ParsedMessage} from './parse.js';

/** Who sends rejection notices (never a mailbox line, so a notice is never parsed or rejected itself). */
export const noticeSender = 'cmux-tui';

const legacySender = /^\[[^\]]*\] (\S+) -> /;

/** The sender a rejected line names, when it names one (`from` of a JSON object, or the legacy form's). */
export function lineSender(text: string | undefined): string | undefined {
	if (text === undefined) {
		return undefined;
	}

	if (text.trimStart().startsWith('{')) {
		try {
			const value = JSON.parse(text) as unknown;
			const from = typeof value === 'object' && value !== null ? (value as {from?: unknown}).from : undefined;
			return typeof from === 'string' && /^[\w.-]+(?::[\w.-]+)?$/.test(from) ? from : undefined;
		} catch {
			// Not JSON at all: it names no sender.
			return undefined;
		}
	}

	return legacySender.exec(text)?.[1];
}

/**
 * The message that tells a rejected line's sender (or the supervisor) what was refused and why.
 * Its id comes from the line's place in the file, so reading the line again never sends it twice.
 */
export function rejectionNotice(options: {line: number; reason: string; text?: string; place: string; to: string; now: string}): ParsedMessage {
	const excerpt = options.text === undefined ? '' : options.text.length > 300 ? `${options.text.slice(0, 300)}…` : options.text;
	return {
		id: `rejected-${options.place}`,
		ts: options.now,
		from: noticeSender,
		to: options.to,
		subject: `[REJECTED] mailbox line ${options.line} was not accepted: ${options.reason}`,
		...(excerpt === '' ? {} : {body: `The line began: ${excerpt}\nFix it and send it again.`}),
		status: 'submitted',
	};
}
