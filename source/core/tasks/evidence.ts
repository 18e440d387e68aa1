import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {runStep} from '../frontend/run-step.js';
import {makeCookie} from '../process/cookie.js';

/** What the project's repository and the task's verify command say about a claimed task. */
export interface Evidence {
	/** Commits since the task was offered (undefined: no git repository or no base commit). */
	commits?: number;
	/** Files changed since the task was offered (committed, staged, unstaged, or new). */
	files: string[];
	/** The verify command's outcome, when the task has one. */
	verify?: {ok: boolean; code: number | null; timedOut: boolean; output: string[]};
	/** Whether this is evidence of the work: verify passed, or (without verify) commits or changed files. */
	ok: boolean;
}

const git = async (cwd: string, args: string[]): Promise<string[] | undefined> => {
	const result = await execa('git', args, {cwd, reject: false, timeout: 10_000});
	return result.exitCode === 0 ? result.stdout.split('\n').filter(line => line !== '') : undefined;
};

/** The current HEAD commit of the repository at `cwd`, undefined when it is not one (or has no commit). */
export async function headCommit(cwd: string): Promise<string | undefined> {
	return (await git(cwd, ['rev-parse', '--verify', '-q', 'HEAD']))?.[0];
}

/** The branch checked out at `cwd` (`HEAD` when detached), undefined outside a repository. */
export async function branchName(cwd: string): Promise<string | undefined> {
	return (await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']))?.[0];
}

/** `git status --porcelain` split into staged, unstaged and untracked paths. */
export async function workingTree(cwd: string): Promise<{staged: string[]; unstaged: string[]; untracked: string[]} | undefined> {
	const lines = await git(cwd, ['status', '--porcelain=v1', '--untracked-files=all']);
	if (!lines) {
		return undefined;
	}

	const tree = {staged: [] as string[], unstaged: [] as string[], untracked: [] as string[]};
	for (const line of lines) {
		const [index, work, file] = [line[0], line[1], line.slice(3)];
		if (index === '?') {
			tree.untracked.push(file);
			continue;
		}

		if (index !== ' ') {
			tree.staged.push(file);
		}

		if (work !== ' ') {
			tree.unstaged.push(file);
		}
	}

	return tree;
}

/**
 * Gather the evidence for a claim: commits since `base`, files changed since it (new untracked
 * files only when written after `since`, so files lying around before the task do not count), and
 * the verify command run with `sh -c` (the user's own configured command) under a timeout that
 * kills its whole tree. cmux-tui's own state directory never counts as a change.
 */
export async function gatherEvidence(options: {cwd: string; base?: string; since?: string; verify?: string; verifyTimeout: number; root: string}): Promise<Evidence> {
	const {cwd} = options;
	const ours = (file: string) => file === '.cmux' || file.startsWith('.cmux/');
	let commits: number | undefined;
	const files = new Set<string>();
	if (options.base) {
		const count = await git(cwd, ['rev-list', '--count', `${options.base}..HEAD`]);
		commits = count ? Number(count[0]) : undefined;
		for (const file of await git(cwd, ['diff', '--name-only', options.base]) ?? []) {
			files.add(file);
		}
	}

	const sinceMs = options.since ? Date.parse(options.since) : 0;
	for (const file of await git(cwd, ['ls-files', '--others', '--exclude-standard']) ?? []) {
		const stat = fs.statSync(path.join(cwd, file), {throwIfNoEntry: false});
		if (stat && stat.mtimeMs >= sinceMs) {
			files.add(file);
		}
	}

	const changed = [...files].filter(file => !ours(file)).sort();
	let verify: Evidence['verify'];
	if (options.verify) {
		const step = await runStep(options.verify, {cwd, timeout: options.verifyTimeout, cookie: makeCookie(options.root, 'task-verify')});
		verify = {ok: step.ok, code: step.code, timedOut: step.timedOut, output: step.output};
	}

	const ok = verify ? verify.ok : (commits ?? 0) > 0 || changed.length > 0;
	return {...(commits === undefined ? {} : {commits}), files: changed, ...(verify ? {verify} : {}), ok};
}
