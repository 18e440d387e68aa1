import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A unix socket path holds at most 104 bytes on macOS (108 on Linux) with its final NUL; longer ones are cut silently. */
const maxSocketPath = 103;

/** Whether `file` is too long to bind or connect to as it is. */
export function tooLong(file: string): boolean {
	return Buffer.byteLength(file) > maxSocketPath;
}

/**
 * Where to listen for `file`: the file itself, or, when its path is too long, a short path in a
 * private folder of the temp dir that `file` will be a symlink to.
 */
export function listenPath(file: string): string {
	if (!tooLong(file)) {
		return file;
	}

	const dir = path.join(os.tmpdir(), `cmux-${process.getuid?.() ?? 'user'}`);
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	fs.chmodSync(dir, 0o700);
	return path.join(dir, `${crypto.createHash('sha256').update(file).digest('hex').slice(0, 24)}.sock`);
}

/** The path to connect to for `file` (its symlink's target when the path is too long). */
export function connectPath(file: string): string {
	return tooLong(file) ? fs.realpathSync(file) : file;
}
