import fs from 'node:fs';
import path from 'node:path';
import type {Check, CheckResult} from '../health/checks.js';

/** Words `sh -c` runs itself: nothing to find on PATH. */
const shellBuiltins = new Set(['exec', 'cd', 'export', 'set', 'eval', '.', 'source', 'true', 'false', 'test', '[', 'echo', 'printf', 'read', 'trap', 'ulimit', 'umask', 'wait', 'sleep', 'while', 'for', 'if', 'until', 'case', '{', '(']);

/**
 * The program a shell command line starts: its first word after `VAR=value` assignments (and
 * after `exec`/`env`), unquoted. Undefined when the line starts with shell syntax we do not parse.
 */
export function commandProgram(command: string): string | undefined {
	const words = command.trim().split(/\s+/);
	let index = 0;
	while (index < words.length && /^[A-Za-z_]\w*=/.test(words[index]!)) {
		index++;
	}

	while (words[index] === 'exec' || words[index] === 'env') {
		index++;
		while (index < words.length && /^[A-Za-z_]\w*=/.test(words[index]!)) {
			index++;
		}
	}

	const word = words[index]?.replace(/^(['"])(.*)\1$/, '$2');
	return word === undefined || word === '' ? undefined : word;
}

/** Where `program` is found: a path (relative to `cwd`) that exists and is executable, or a PATH entry. */
export function findProgram(program: string, cwd: string, pathVariable = process.env.PATH ?? ''): string | undefined {
	const executable = (file: string) => {
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return fs.statSync(file).isFile();
		} catch {
			// Missing or not executable: that is the answer, not an error.
			return false;
		}
	};

	if (program.includes('/')) {
		const file = path.resolve(cwd, program);
		return executable(file) ? file : undefined;
	}

	for (const dir of pathVariable.split(path.delimiter).filter(Boolean)) {
		const file = path.join(dir, program);
		if (executable(file)) {
			return file;
		}
	}

	return undefined;
}

/** `doctor`: every configured agent's command starts a program that exists. */
export const agentCommandsCheck: Check = async ({config, paths}) => {
	const results: CheckResult[] = [];
	for (const agent of config.agents) {
		const program = commandProgram(agent.command);
		const name = `agent ${agent.name} command`;
		if (program === undefined || shellBuiltins.has(program)) {
			results.push({name, ok: true, detail: `${JSON.stringify(agent.command)} (shell syntax, not checked)`});
			continue;
		}

		const cwd = path.resolve(paths.root, agent.cwd ?? '.');
		const found = findProgram(program, cwd, agent.env.PATH ?? process.env.PATH);
		results.push(found
			? {name, ok: true, detail: `${program} → ${found}`}
			: {name, ok: false, detail: `${program} not found (${program.includes('/') ? `no executable file ${path.resolve(cwd, program)}` : 'not on PATH'}); agents.${agent.name} cannot start`});
	}

	return results;
};
