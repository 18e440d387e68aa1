import type {Config} from '../config/schema.js';

/** What decides whether mail may go to an address. */
export interface TargetPolicy {
	/** The managed tmux session: its windows always receive mail. */
	session: string;
	/** `mailbox.allowTargets`: other `session:window` addresses (or whole sessions, `session`) allowed by name. */
	allowTargets: readonly string[];
}

/**
 * Why mail to `to` is refused, or undefined when it may be delivered. `user`, agent names (they
 * resolve to the registry or to a window of the managed session) and `session:window` of the
 * managed session are allowed; any other `session:window` only when `allowTargets` names it (or
 * its session), so a message can never be typed into another session's shell.
 */
export function targetProblem(to: string, policy: TargetPolicy): string | undefined {
	const colon = to.indexOf(':');
	if (colon === -1) {
		return undefined;
	}

	const session = to.slice(0, colon);
	if (session === policy.session || policy.allowTargets.includes(to) || policy.allowTargets.includes(session)) {
		return undefined;
	}

	return `recipient ${to} is a window of session "${session}", which cmux-tui does not manage (session "${policy.session}"; add it to mailbox.allowTargets to allow it)`;
}

/** The policy a configuration sets. */
export function policyOf(config: Pick<Config, 'session' | 'mailbox'>): TargetPolicy {
	return {session: config.session, allowTargets: config.mailbox.allowTargets};
}
