import fs from 'node:fs';

/**
 * Reads of small /proc files (Linux) at a fraction of readFileSync's cost: readFileSync fstats,
 * reads a size-0 file in growing chunks and allocates for each, where one open, reads into a
 * buffer kept between calls, and a close do. A scan of a few hundred processes is then a few ms.
 * The buffer is shared: a result is copied out (a string) before the next read.
 */
let buffer = Buffer.allocUnsafe(16 * 1024);

/** Read `/proc/PID/FILE` into the shared buffer: its length, or undefined when it cannot be read (gone, not ours). */
function readIntoBuffer(pid: number, file: string): number | undefined {
	let fd: number;
	try {
		fd = fs.openSync(`/proc/${pid}/${file}`, 'r');
	} catch {
		return undefined;
	}

	try {
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				const bigger = Buffer.allocUnsafe(buffer.length * 2);
				buffer.copy(bigger, 0, 0, length);
				buffer = bigger;
			}

			const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) {
				return length;
			}

			length += read;
		}
	} catch {
		// ESRCH mid-read: the process exited.
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}

/** The text of `/proc/PID/FILE` (latin1), or undefined when it cannot be read. */
export function readProcFile(pid: number, file: string): string | undefined {
	const length = readIntoBuffer(pid, file);
	return length === undefined ? undefined : buffer.toString('latin1', 0, length);
}

/**
 * The value of environment variable `name` in process `pid` (its /proc/PID/environ, the
 * environment it was started with), or undefined: gone, not ours to read, or unset. Only the
 * value is copied out of the buffer, not the whole environment.
 */
export function procEnvironmentValue(pid: number, name: string): string | undefined {
	const length = readIntoBuffer(pid, 'environ');
	if (length === undefined) {
		return undefined;
	}

	const environ = buffer.subarray(0, length);
	// Entries are NUL-separated: the variable is the first entry, or comes right after a NUL.
	const entry = Buffer.from(`${name}=`, 'latin1');
	let start: number;
	if (environ.subarray(0, entry.length).equals(entry)) {
		start = entry.length;
	} else {
		const at = environ.indexOf(Buffer.concat([Buffer.of(0), entry]));
		if (at < 0) {
			return undefined;
		}

		start = at + 1 + entry.length;
	}

	const end = environ.indexOf(0, start);
	return environ.toString('latin1', start, end < 0 ? length : end);
}
