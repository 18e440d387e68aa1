import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {ParsedMessage} from './parse.js';

/** Subjects up to this length are delivered as they are (CMUX itself has no limit). */
export const maxSubject = 4096;
/** How much of a long subject the pane gets. */
const shownChars = 200;

/**
 * A subject over `maxSubject` characters: the whole text (subject, and body or the body's path)
 * goes into an attachment in `dir`, the pane gets the start of the subject and `-> PATH`. The file
 * is named after the message id, so reading the line again writes the same file, not another.
 */
export function shortenLongSubject(message: ParsedMessage, dir: () => string): ParsedMessage {
	if (message.subject.length <= maxSubject) {
		return message;
	}

	const file = path.join(dir(), `long-subject-${crypto.createHash('sha256').update(message.id).digest('hex').slice(0, 12)}.md`);
	const body = message.body?.trim() ? `\n\n---\n\n${message.body}\n` : '\n';
	fs.writeFileSync(file, `# Long subject (${message.subject.length} characters)\n\n**From:** ${message.from}\n**To:** ${message.to}\n**Date:** ${message.ts}\n**Id:** ${message.id}\n\n---\n\n${message.subject}${body}`, {mode: 0o600});
	return {...message, subject: `${message.subject.slice(0, shownChars)}… (subject cut: ${message.subject.length} characters, whole text attached)`, body: file};
}
