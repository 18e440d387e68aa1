import {StateError, errorText} from '../errors.js';
import {git, gitMaybe, projectPathspec} from './git.js';

export interface RollbackOptions {
	/** The git work tree (the project root). */
	cwd: string;
	/** The last known-good commit. */
	good: string;
	/** Timeout of each git step (ms). */
	gitTimeout: number;
	/** Rebuild the frontend and restart the server on the checked-out code. */
	rebuildAndRestart(): Promise<void>;
	/** Watch health over the verify window; ok when the server stayed healthy. */
	verify(): Promise<{ok: boolean; reason?: string}>;
	now?: Date;
}

export interface RollbackResult {
	ok: boolean;
	from: string;
	to: string;
	/** Branch at the original HEAD (always created, kept in both outcomes). */
	branch: string;
	/** The stash commit holding the uncommitted work (success: kept in `git stash list`; failure: re-applied and dropped). */
	stash?: string;
	reason?: string;
	/** Failure path: original HEAD and the uncommitted work are back in place. */
	restored?: boolean;
}

/**
 * Save every uncommitted change (a stash with a clear message, plus a branch at HEAD), check out the
 * known-good commit detached, rebuild/restart and verify. On any failure go back: original branch
 * (or commit), then the stash re-applied with its index. Nothing the user wrote is dropped: a stash
 * is only dropped after it was applied cleanly.
 */
export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
	const {cwd, good, gitTimeout: timeout} = options;
	const stamp = (options.now ?? new Date()).toISOString().replaceAll(/[:.]/g, '-');
	const from = await git(cwd, ['rev-parse', 'HEAD'], timeout);
	const originalBranch = await gitMaybe(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'], timeout);
	const branch = `cmux-rollback/${stamp}`;
	const pathspec = await projectPathspec(cwd, timeout);
	await git(cwd, ['branch', branch, from], timeout);
	const dirty = await git(cwd, ['status', '--porcelain', '--untracked-files=all', ...pathspec], timeout);
	let stash: string | undefined;
	if (dirty !== '') {
		const message = `cmux-tui rollback ${stamp}: uncommitted work on ${originalBranch ?? 'detached HEAD'} at ${from.slice(0, 12)} (branch ${branch})`;
		await git(cwd, ['stash', 'push', '--include-untracked', '-m', message, ...pathspec], timeout);
		stash = await git(cwd, ['rev-parse', 'stash@{0}'], timeout);
	}

	const result: RollbackResult = {ok: false, from, to: good, branch, ...(stash ? {stash} : {})};
	try {
		await git(cwd, ['checkout', '--detach', good], timeout);
		await options.rebuildAndRestart();
		const verdict = await options.verify();
		if (!verdict.ok) {
			throw new StateError(`not healthy on ${good.slice(0, 12)}: ${verdict.reason ?? 'verification failed'}`);
		}

		return {...result, ok: true};
	} catch (error) {
		result.reason = errorText(error);
	}

	try {
		await restore(cwd, originalBranch ?? from, stash, timeout, stamp, pathspec);
		result.restored = true;
	} catch (error) {
		result.restored = false;
		result.reason += `; restoring failed: ${errorText(error)} (your work is safe in branch ${branch}${stash ? ` and stash ${stash.slice(0, 12)}` : ''})`;
	}

	await options.rebuildAndRestart().catch((error: unknown) => {
		// The rollback already failed; say that the original code is not running again either.
		result.reason += `; rebuilding and restarting on the restored code failed: ${errorText(error)}`;
	});
	return result;
}

async function restore(cwd: string, target: string, stash: string | undefined, timeout: number, stamp: string, pathspec: string[]): Promise<void> {
	// Anything written while rolled back (by a build, an agent) is stashed too rather than discarded.
	const during = await git(cwd, ['status', '--porcelain', '--untracked-files=all', ...pathspec], timeout);
	if (during !== '') {
		await git(cwd, ['stash', 'push', '--include-untracked', '-m', `cmux-tui rollback ${stamp}: changes made while rolled back`, ...pathspec], timeout);
	}

	await git(cwd, ['checkout', target], timeout);
	if (!stash) {
		return;
	}

	const applied = await gitMaybe(cwd, ['stash', 'apply', '--index', stash], timeout) ?? await gitMaybe(cwd, ['stash', 'apply', stash], timeout);
	if (applied === undefined) {
		throw new StateError(`could not re-apply stash ${stash.slice(0, 12)}; it is kept in \`git stash list\``);
	}

	const entries = (await git(cwd, ['stash', 'list', '--format=%gd %H'], timeout)).split('\n');
	const entry = entries.find(line => line.endsWith(` ${stash}`))?.split(' ')[0];
	if (entry) {
		await git(cwd, ['stash', 'drop', entry], timeout);
	}
}
