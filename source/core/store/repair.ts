import fs from 'node:fs';
import type {Paths} from '../config/paths.js';
import {errorText, StateError} from '../errors.js';
import {runningOrchestrator} from '../pid-lock.js';
import {Store} from './store.js';

/** What `doctor --repair` did to the database. */
export interface RepairResult {
	/** Why the database was judged damaged, when it was. */
	problem?: string;
	/** Where the damaged files were moved (`cmux.db.corrupt-<ts>` and its -wal/-shm). */
	movedTo?: string;
	/** A fresh database was created in its place. */
	rebuilt: boolean;
}

/**
 * `doctor --repair`: when `.cmux/cmux.db` cannot be opened or fails its integrity check, move it
 * (with its -wal and -shm) aside as `cmux.db.corrupt-<ts>` (0600, kept for inspection) and create
 * a fresh, migrated one. What the store held is rebuilt by the next run: agents from the registry
 * and tmux, and the mailbox resumes from the read position kept beside it (`mailbox.offset`), so it
 * is not delivered again. Refused while an orchestrator runs: it holds the database open.
 */
export function repairStore(paths: Paths): RepairResult {
	if (!fs.existsSync(paths.dbFile)) {
		return {rebuilt: false};
	}

	const problem = damage(paths.dbFile);
	if (problem === undefined) {
		return {rebuilt: false};
	}

	const holder = runningOrchestrator(paths.pidFile);
	if (holder !== undefined) {
		throw new StateError(`the database is damaged (${problem}), but the orchestrator (pid ${holder}) holds it open; stop it first (\`cmux-tui stop\`), then run \`cmux-tui doctor --repair\` again`);
	}

	const movedTo = `${paths.dbFile}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`;
	for (const suffix of ['', '-wal', '-shm']) {
		if (fs.existsSync(paths.dbFile + suffix)) {
			fs.renameSync(paths.dbFile + suffix, movedTo + suffix);
			fs.chmodSync(movedTo + suffix, 0o600);
		}
	}

	Store.open(paths.dbFile).close();
	return {problem, movedTo, rebuilt: true};
}

/** Why the database at `file` is damaged, or undefined when it opens and passes integrity_check. */
function damage(file: string): string | undefined {
	let store: Store;
	try {
		store = Store.open(file);
	} catch (error) {
		return errorText(error);
	}

	try {
		const result = store.integrityCheck();
		return result === 'ok' ? undefined : `integrity_check: ${result}`;
	} catch (error) {
		return errorText(error);
	} finally {
		store.close();
	}
}
