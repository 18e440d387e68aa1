/** How restarts back off and when a crash loop stops them. */
export interface RestartPolicy {
	/** First delay before a restart (ms); doubled for each recent restart. */
	backoffBase: number;
	backoffMax: number;
	/** More than `crashLoopRestarts` restarts within `crashLoopWindow` ms is a crash loop: no more restarts. */
	crashLoopRestarts: number;
	crashLoopWindow: number;
}

export const defaultRestartPolicy: RestartPolicy = {backoffBase: 1000, backoffMax: 30_000, crashLoopRestarts: 5, crashLoopWindow: 5 * 60_000};

export type RestartDecision = {giveUp: false; delay: number} | {giveUp: true; why: string};

/**
 * Whether (and after how long) to restart, given the config's `restart` mode and the times of
 * recent automatic restarts (pruned here to the crash-loop window).
 */
export function nextRestart(mode: 'never' | 'on-failure' | 'always', recent: number[], now: number, overrides: Partial<RestartPolicy> = {}): RestartDecision {
	const policy = {...defaultRestartPolicy, ...overrides};
	if (mode === 'never') {
		return {giveUp: true, why: 'not restarting (server.restart is "never")'};
	}

	while (recent.length > 0 && recent[0]! < now - policy.crashLoopWindow) {
		recent.shift();
	}

	if (recent.length >= policy.crashLoopRestarts) {
		return {giveUp: true, why: `crash loop: ${recent.length} restarts within ${Math.round(policy.crashLoopWindow / 1000)}s, not restarting again (fix it, then \`cmux-tui server restart\`)`};
	}

	return {giveUp: false, delay: Math.min(policy.backoffMax, policy.backoffBase * (2 ** recent.length))};
}
