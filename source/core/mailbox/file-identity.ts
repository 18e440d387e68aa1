import fs from 'node:fs';
import path from 'node:path';

/** Where the ingest stands: which file (dev+ino) and how far (bytes, lines) into it. */
export interface FilePosition {
	dev: number;
	ino: number;
	offset: number;
	line: number;
}

/** CMUX moves a full mailbox into this folder next to it. */
export const archiveDirName = 'mailbox-archive';

/**
 * Find the file that was the mailbox at `identity` after it was moved: in the mailbox's folder or
 * in `mailbox-archive/` (one level of subfolders too). Undefined when it was deleted.
 */
export function findByIdentity(dir: string, identity: {dev: number; ino: number}): {file: string; stat: fs.Stats} | undefined {
	const archive = path.join(dir, archiveDirName);
	for (const folder of [dir, archive, ...subfolders(archive)]) {
		for (const name of listNames(folder)) {
			const file = path.join(folder, name);
			try {
				const stat = fs.statSync(file);
				if (stat.isFile() && stat.dev === identity.dev && stat.ino === identity.ino) {
					return {file, stat};
				}
			} catch {}
		}
	}

	return undefined;
}

function listNames(dir: string): string[] {
	try {
		return fs.readdirSync(dir);
	} catch {
		return [];
	}
}

function subfolders(dir: string): string[] {
	try {
		return fs.readdirSync(dir, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => path.join(dir, entry.name));
	} catch {
		return [];
	}
}
