import fs from 'node:fs';
import path from 'node:path';

/** `journal/YYYY-MM-DD/` for the local date of `now` (CMUX names its days the same way). */
export function journalDayDir(journalDir: string, now = new Date()): string {
	const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
	return path.join(journalDir, day);
}

/** One journal entry: a one-line title and an optional body (markdown). */
export interface JournalEntry {
	title: string;
	body?: string;
	/** CMUX's project tag: the header becomes `## HH:MM - [project] Title`. */
	project?: string;
}

/**
 * Append one entry in CMUX's format (`\n## HH:MM - Title\nbody\n`) to the day's `journal.md`,
 * creating the file with CMUX's heading `# Journal - YYYY-MM-DD`. CMUX's `tools/journal`, its
 * journal search and its `/api/journal` read these entries as their own. A string is the title
 * alone. One `appendFileSync` per entry (O_APPEND), as CMUX's tool does, so writers never interleave.
 */
export function appendJournal(journalDir: string, entry: string | JournalEntry, now = new Date()): string {
	const {title, body, project} = typeof entry === 'string' ? {title: entry} : entry;
	const dir = journalDayDir(journalDir, now);
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	const file = path.join(dir, 'journal.md');
	if (!fs.existsSync(file)) {
		fs.writeFileSync(file, `# Journal - ${path.basename(dir)}\n`, {mode: 0o600, flag: 'a'});
	}

	// The title is a header line: a newline in it would start the body (or a new entry) early.
	const header = `## ${pad(now.getHours())}:${pad(now.getMinutes())} - ${project ? `[${oneLine(project)}] ` : ''}${oneLine(title)}`;
	const text = body?.trim() ? `\n${header}\n${body.replace(/\n+$/, '')}\n` : `\n${header}\n`;
	fs.appendFileSync(file, text, {mode: 0o600});
	return file;
}

/**
 * Write `journal/DATE/attachments/<base>-HHMMSS.md` (a suffix `-2`, `-3` … keeps an existing file
 * from being overwritten) and return its path.
 */
export function writeAttachment(journalDir: string, base: string, content: string, now = new Date()): string {
	const dir = attachmentsDir(journalDir, now);
	const stem = `${base}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
	for (let index = 1; ; index++) {
		const file = path.join(dir, `${stem}${index === 1 ? '' : `-${index}`}.md`);
		try {
			fs.writeFileSync(file, content, {mode: 0o600, flag: 'wx'});
			return file;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
	}
}

/** The day's `attachments/` folder (created), where CMUX's tools also put long message bodies. */
export function attachmentsDir(journalDir: string, now = new Date()): string {
	const dir = path.join(journalDayDir(journalDir, now), 'attachments');
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	return dir;
}

function oneLine(text: string): string {
	return text.replaceAll(/\s*[\r\n]+\s*/g, ' ').trim();
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
