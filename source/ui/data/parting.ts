import type {Orchestrator} from '../../core/orchestrator.js';
import {errorText} from '../../core/errors.js';
import {agentRows} from '../../core/health/report.js';

/** Agent states that mean something is still running in its window. */
const liveStates = new Set(['starting', 'running', 'idle', 'busy', 'restarting']);

/** What is left running when the TUI quits, as the parting line names it. */
export interface Leftovers {
	agents: number;
	server: boolean;
	session: string;
	socket?: string;
	root: string;
}

/** One line for the user's screen after `q`: what keeps running, how to look at it, how to stop it. */
export function partingText(left: Leftovers): string {
	const parts = [
		`${left.agents} agent${left.agents === 1 ? '' : 's'} in tmux session ${left.session}${left.socket ? ` (socket ${left.socket})` : ''}`,
		...(left.server ? ['the dev server'] : []),
	];
	const tmux = left.socket ? `tmux -L ${left.socket}` : 'tmux';
	return `cmux-tui: the TUI closed; still running: ${parts.join(' and ')}. Look: ${tmux} attach -t ${left.session} · stop all: cmux-tui stop --project ${left.root}`;
}

/** The parting line for a running orchestrator (read before it shuts down). */
export function partingLine(orchestrator: Orchestrator): string {
	const {config, paths, store} = orchestrator.context;
	let agents = 0;
	let server = false;
	try {
		if (store.open) {
			agents = agentRows(store).filter(agent => liveStates.has(agent.state)).length;
			server = (store.serviceState('server')?.status ?? 'off') !== 'off';
		}
	} catch (error) {
		// The line is a courtesy: an unreadable store must not turn a clean quit into a failure.
		orchestrator.context.log.log('warn', `parting line: ${errorText(error)}`);
	}

	return partingText({agents, server, session: config.session, socket: config.tmuxSocket, root: paths.root});
}
