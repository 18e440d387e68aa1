import fs from 'node:fs';
import path from 'node:path';

/** The safety poll's period while the folder watch is up (it only has to catch what inotify cannot see). */
export const watchedPollInterval = 2000;

/**
 * Call `wake` whenever something named like `file` changes in its folder (fs.watch), and poll as a
 * safety net (network filesystems, a folder that appears later, a watcher that failed): every
 * `pollInterval` ms while there is no watcher, every `watchedPollInterval` ms (or `pollInterval`
 * if longer) while there is one, so an idle follower costs next to nothing. Returns the function
 * that stops both.
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

	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const poll = () => {
		timer = setTimeout(() => {
			if (!watcher) {
				watch();
			}

			wake();
			if (!stopped) {
				poll();
			}
		}, watcher ? Math.max(pollInterval, watchedPollInterval) : pollInterval);
		// The poll is a safety net, not a reason to keep the process alive.
		timer.unref();
	};

	watch();
	poll();
	return () => {
		stopped = true;
		clearTimeout(timer);
		watcher?.close();
	};
}
