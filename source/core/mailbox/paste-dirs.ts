import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isAlive, startOf} from '../process/table.js';

const prefix = 'cmux-paste-';

/** A new private folder for paste files, named after this process (pid and start time) so a later start can tell it is left over. */
export function makePasteDir(tmp = os.tmpdir()): string {
	return fs.mkdtempSync(path.join(tmp, `${prefix}${process.pid}-${startOf(process.pid) ?? '0'}-`));
}

/**
 * Remove paste folders a crashed cmux-tui left in the temp dir: ours (same user) whose process
 * (pid with its start time) is gone. Folders of live orchestrators of other projects are kept, and
 * so is anything not owned by this user. Returns the folders removed.
 */
export function removeLeftoverPasteDirs(tmp = os.tmpdir()): string[] {
	const removed: string[] = [];
	let names: string[];
	try {
		names = fs.readdirSync(tmp).filter(name => name.startsWith(prefix));
	} catch {
		return removed;
	}

	for (const name of names) {
		const dir = path.join(tmp, name);
		const [, pid, start] = /^cmux-paste-(\d+)-(\d+)-/.exec(name) ?? [];
		try {
			const stat = fs.lstatSync(dir);
			if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
				continue;
			}

			// Older versions named the folder without its owner: left alone unless empty and an hour old.
			const leftover = pid === undefined
				? fs.readdirSync(dir).length === 0 && Date.now() - stat.mtimeMs > 3_600_000
				: !(isAlive(Number(pid)) && startOf(Number(pid)) === start);
			if (leftover) {
				fs.rmSync(dir, {recursive: true, force: true});
				removed.push(dir);
			}
		} catch {
			// Removed meanwhile by its owner or another start: nothing left to do.
		}
	}

	return removed;
}
