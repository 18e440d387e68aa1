import type {ExitReason} from '../events.js';

export type RestartMode = 'never' | 'on-failure' | 'always';

export interface RestartOptions {
	/** First backoff delay (ms); doubles with each restart inside the window. */
	base: number;
	max: number;
	/** More than `limit` restarts inside `window` ms is a crash loop. */
	limit: number;
	window: number;
}

export const defaultRestartOptions: RestartOptions = {base: 500, max: 30_000, limit: 5, window: 60_000};

export type RestartDecision = {action: 'stay-down'} | {action: 'restart'; delay: number; attempt: number} | {action: 'fail'; restarts: number};

/**
 * What to do after an agent's process ended. `on-failure` restarts on a non-zero exit code (or an
 * unknown one); a window closed from outside is a deliberate act and is restarted only by
 * `always`. Restarts back off exponentially; one more than `limit` inside `window` means a crash
 * loop: the agent is marked failed and stays down until someone restarts it.
 */
export function decideRestart(mode: RestartMode, exit: {reason: ExitReason; code?: number}, history: readonly number[], now: number, options: RestartOptions = defaultRestartOptions): RestartDecision {
	if (exit.reason === 'killed' || mode === 'never') {
		return {action: 'stay-down'};
	}

	if (mode === 'on-failure' && (exit.reason === 'window-closed' || exit.code === 0)) {
		return {action: 'stay-down'};
	}

	const recent = history.filter(ts => now - ts < options.window);
	if (recent.length >= options.limit) {
		return {action: 'fail', restarts: recent.length};
	}

	return {action: 'restart', delay: Math.min(options.base * (2 ** recent.length), options.max), attempt: recent.length + 1};
}
