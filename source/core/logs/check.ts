import fs from 'node:fs';
import type {Check, CheckResult} from '../health/checks.js';
import {logTargets} from './targets.js';

/** `cmux-tui check`: every watched log is readable, or missing (then it is read once it appears). */
export const logsCheck: Check = async ({config, paths}) => {
	const results: CheckResult[] = [];
	for (const target of logTargets(config, paths.root)) {
		try {
			await fs.promises.access(target.file, fs.constants.R_OK);
			results.push({name: 'log', ok: true, detail: `${target.name} is readable`});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			results.push(code === 'ENOENT'
				? {name: 'log', ok: true, warning: true, detail: `${target.name} does not exist yet (read from its beginning once it appears)`}
				: {name: 'log', ok: false, detail: `${target.name} cannot be read (${code ?? 'error'})`});
		}
	}

	return results;
};
