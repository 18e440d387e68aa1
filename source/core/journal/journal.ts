import fs from 'node:fs';
import path from 'node:path';

/** `journal/YYYY-MM-DD/` for the local date of `now`. */
export function journalDayDir(journalDir: string, now = new Date()): string {
	const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
	return path.join(journalDir, day);
}

/** Append one entry (`- HH:MM:SS text`) to the day's `journal.md`, creating it with a heading. */
export function appendJournal(journalDir: string, text: string, now = new Date()): string {
	const dir = journalDayDir(journalDir, now);
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	const file = path.join(dir, 'journal.md');
	if (!fs.existsSync(file)) {
		fs.writeFileSync(file, `# Journal ${path.basename(dir)}\n\n`, {mode: 0o600, flag: 'a'});
	}

	fs.appendFileSync(file, `- ${clockTime(now)} ${text.replaceAll('\n', ' ')}\n`, {mode: 0o600});
	return file;
}

/**
 * Write `journal/DATE/attachments/<base>-HHMMSS.md` (a suffix `-2`, `-3` … keeps an existing file
 * from being overwritten) and return its path.
 */
export function writeAttachment(journalDir: string, base: string, content: string, now = new Date()): string {
	const dir = path.join(journalDayDir(journalDir, now), 'attachments');
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	const stem = `${base}-${clockTime(now).replaceAll(':', '')}`;
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

function clockTime(now: Date): string {
	return `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
