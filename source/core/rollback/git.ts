import {execa} from 'execa';
import {StateError} from '../errors.js';

/** Run git with an argument array in `cwd`; past `timeout` it is killed. Throws StateError with git's message. */
export async function git(cwd: string, args: string[], timeout: number): Promise<string> {
	const result = await execa('git', args, {cwd, timeout, reject: false, stdin: 'ignore', env: {GIT_TERMINAL_PROMPT: '0'}});
	if (result.timedOut) {
		throw new StateError(`git ${args[0]} timed out after ${timeout}ms`);
	}

	if (result.exitCode !== 0) {
		throw new StateError(`git ${args.join(' ')} failed: ${result.stderr.trim().split('\n').at(-1) ?? `exit ${result.exitCode}`}`);
	}

	return result.stdout.trim();
}

/** Like `git` but resolves undefined instead of throwing (for questions whose "no" is a failure). */
export async function gitMaybe(cwd: string, args: string[], timeout: number): Promise<string | undefined> {
	try {
		return await git(cwd, args, timeout);
	} catch {
		return undefined;
	}
}

/**
 * Pathspec for "the whole project except cmux-tui's own state" (`.cmux/`, where the open database
 * lives), which must never be stashed. When `.cmux/` is git-ignored nothing is needed (and git
 * refuses an exclude of an ignored path).
 */
export async function projectPathspec(cwd: string, timeout: number): Promise<string[]> {
	const ignored = await gitMaybe(cwd, ['check-ignore', '-q', '.cmux/'], timeout);
	return ignored === undefined ? ['--', '.', ':(exclude).cmux'] : [];
}
