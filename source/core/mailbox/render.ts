import fs from 'node:fs';
import path from 'node:path';

/**
 * Show control characters as caret text so a message can never send a signal, an erase or an
 * escape sequence into a pane: C0 as `^@`…`^_`, DEL as `^?`, C1 (U+0080–U+009F) as the `^[`+char
 * they stand for. Newline and tab stay.
 */
export function neutralise(text: string): string {
	return text.replaceAll(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, char => {
		const code = char.codePointAt(0)!;
		if (code === 0x7F) {
			return '^?';
		}

		return code < 0x20 ? `^${String.fromCodePoint(code + 0x40)}` : `^[${String.fromCodePoint(code - 0x40)}`;
	});
}

/** What is typed into the recipient's pane: `[FROM] SUBJECT`, then the body text or `-> PATH` on the next line. */
export function deliveryText(message: {from: string; subject: string; body?: string | null}, root: string): string {
	const header = neutralise(oneLine(`[${message.from}] ${message.subject}`));
	const body = message.body ?? '';
	if (body.trim() === '') {
		return header;
	}

	if (namesFile(body.trim(), root)) {
		return `${header}\n${neutralise(`-> ${body.trim()}`)}`;
	}

	return `${header}\n${neutralise(body.replaceAll('\r\n', '\n').replace(/\n+$/, ''))}`;
}

/** The header never spans lines: a newline in a subject would press Enter early. */
function oneLine(text: string): string {
	return text.replaceAll('\r\n', '\n').replaceAll('\n', ' ');
}

function namesFile(text: string, root: string): boolean {
	if (text.includes('\n') || text.length > 4096) {
		return false;
	}

	try {
		return fs.statSync(path.resolve(root, text)).isFile();
	} catch {
		return false;
	}
}
