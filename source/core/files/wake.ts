import fs from 'node:fs';
import path from 'node:path';

/**
 * Call `wake` whenever something named like `file` changes in its folder (fs.watch), and every
 * `pollInterval` ms as a safety net (network filesystems, a folder that appears later, a watcher
 * that failed). Returns the function that stops both.
 */
export function wakeOnChange(file: string, pollInterval: number, wake: () => void): () => void {
	const base = path.basename(file);
	let watcher: fs.FSWatcher | undefined;
	const watch = () => {
		try {
			watcher = fs.watch(path.dirname(file), {persistent: false}, (_event, name) => {
				if (!name || name.startsWith(base)) {
					wake();
				}
			});
			watcher.on('error', () => {
				watcher?.close();
				watcher = undefined;
			});
		} catch {
			// The folder does not exist yet: the poll retries.
		}
	};

	watch();
	const timer = setInterval(() => {
		if (!watcher) {
			watch();
		}

		wake();
	}, pollInterval);
	// The poll is a safety net, not a reason to keep the process alive.
	timer.unref();
	return () => {
		clearInterval(timer);
		watcher?.close();
	};
}
