import type {Config} from '../config/schema.js';
import type {Paths} from '../config/paths.js';
import {errorText, TmuxError} from '../errors.js';
import type {TmuxClient} from '../tmux/client.js';
import {requireTmux} from '../tmux/version.js';

/** One line of `cmux-tui check` / `cmux-tui doctor`. */
export interface CheckResult {
	name: string;
	ok: boolean;
	detail: string;
	/** A failed check that is only a warning does not change the exit code. */
	warning?: boolean;
}

export interface CheckContext {
	config: Config;
	paths: Paths;
	tmux: TmuxClient;
}

/** A health check: runs once, returns one or more results, never throws (failures are results). */
export type Check = (context: CheckContext) => Promise<CheckResult[]>;

/** tmux is installed, new enough, and its server answers when a session is expected. */
export const tmuxCheck: Check = async ({config, tmux}) => {
	try {
		const {text} = await requireTmux();
		const results: CheckResult[] = [{name: 'tmux', ok: true, detail: text}];
		let sessions: string[];
		try {
			sessions = await tmux.run(['list-sessions', '-F', '#{session_name}']);
		} catch (error) {
			if (!(error instanceof TmuxError && error.reason === 'unreachable')) {
				throw error;
			}

			// No server is only a failure when agents are expected to run in it.
			results.push({name: 'tmux server', ok: config.agents.length === 0, detail: config.agents.length === 0 ? `${error.message} (not needed: no agents are configured)` : error.message});
			return results;
		}

		results.push(sessions.includes(config.session)
			? {name: 'tmux session', ok: true, detail: `session ${config.session} exists`}
			: {name: 'tmux session', ok: config.agents.length === 0, detail: `session ${config.session} is not running`});
		return results;
	} catch (error) {
		return [{name: 'tmux', ok: false, detail: errorText(error)}];
	}
};

/** Run checks one after another (they may share tmux) and collect every result. */
export async function runChecks(checks: readonly Check[], context: CheckContext): Promise<CheckResult[]> {
	const results: CheckResult[] = [];
	for (const check of checks) {
		try {
			results.push(...await check(context));
		} catch (error) {
			results.push({name: check.name || 'check', ok: false, detail: errorText(error)});
		}
	}

	return results;
}
