/** What an alert is about, in the words the attachment, the mailbox and the webhook use. */
export interface AlertContent {
	/** The log file (as configured, relative to the project root) or `agent:<name>` for a discrepancy. */
	file: string;
	/** Matches the alert covers. */
	count: number;
	/** The first matches, each its lines (a traceback is one match of several lines). */
	matches: string[][];
	firstAt: number;
	lastAt: number;
	/** A one-line title. */
	title: string;
}

/** Upper bound of an attachment's size; the lines beyond it are counted, not written. */
export const maxAttachmentBytes = 64 * 1024;
const maxLineChars = 2000;
const sampleLines = 5;
const maxSampleChars = 300;

/** The Markdown of `journal/DATE/attachments/log-alert-HHMMSS.md`, at most `maxAttachmentBytes`. */
export function formatAttachment(alert: AlertContent): string {
	const head = [
		`# ${alert.title}`,
		'',
		`- file: ${alert.file}`,
		`- first: ${new Date(alert.firstAt).toISOString()}`,
		`- last: ${new Date(alert.lastAt).toISOString()}`,
		`- count: ${alert.count}`,
		'',
		'```text',
	].join('\n');
	let body = '';
	let shown = 0;
	for (const match of alert.matches) {
		const text = match.map(line => line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line).join('\n');
		if (head.length + body.length + text.length > maxAttachmentBytes - 200) {
			break;
		}

		body += `${text.replaceAll('```', '`\u200B``')}\n`;
		shown++;
	}

	const more = alert.count - shown;
	return `${head}\n${body}\`\`\`\n${more > 0 ? `\n${more} more match(es) in this window are counted but not shown.\n` : ''}`;
}

/** The first lines of an alert (for the event, the alerts table and the TUI list). */
export function alertSample(alert: AlertContent): string[] {
	return alert.matches.flat().slice(0, sampleLines).map(line => line.length > maxSampleChars ? `${line.slice(0, maxSampleChars)}…` : line);
}
