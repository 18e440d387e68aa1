import fs from 'node:fs';
import {StateError} from './errors.js';
import {isAlive} from './process/table.js';

/**
 * One orchestrator per project: `.cmux/orchestrator.pid` is created exclusively; a file left by a
 * dead process is taken over. Returns a release function.
 */
export function acquirePidLock(file: string): () => void {
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			fs.writeFileSync(file, `${process.pid}\n`, {flag: 'wx', mode: 0o600});
			return () => {
				if (readPid(file) === process.pid) {
					fs.rmSync(file, {force: true});
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}

		const holder = readPid(file);
		if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
			throw new StateError(`an orchestrator is already running for this project (pid ${holder}); stop it with \`cmux-tui stop\` or wait for it to exit`);
		}

		fs.rmSync(file, {force: true});
	}

	throw new StateError(`cannot take the orchestrator lock ${file}`);
}

/** The pid recorded in a pid file, or undefined. */
export function readPid(file: string): number | undefined {
	try {
		const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}
