import type {AgentConfig, Config} from '../config/schema.js';
import {isKnownAgent} from '../heartbeat/beat.js';
import {supervisorName} from '../logs/targets.js';
import type {Store} from '../store/store.js';

/** Where a message goes: the tmux target and, when it is a configured agent, its prompt pattern. */
export interface Recipient {
	target: string;
	agent?: string;
	prompt?: RegExp;
	/**
	 * Several short messages may be typed in one go: a configured agent of kind `generic` without a
	 * prompt pattern (a line-based program; an agent's TUI input box could merge them).
	 */
	batch?: boolean;
}

/**
 * `to` → tmux target. An agent name resolves through the `agents` table's `window` column, else
 * `<session>:<name>`; `session:window` is used directly. Window names are matched exactly (`=`),
 * as tmux otherwise takes a prefix (`worker-1` would find `worker-12`).
 */
export function resolveRecipient(to: string, options: {store: Store; session: string; agents: readonly AgentConfig[]}): Recipient {
	let agent: string | undefined;
	let target: string;
	if (to.includes(':')) {
		target = to;
		const [session, window] = to.split(':') as [string, string];
		agent = session === options.session ? window : undefined;
	} else {
		agent = to;
		target = options.store.agents.window(to) ?? `${options.session}:${to}`;
	}

	const config = options.agents.find(config => config.name === agent);
	const pattern = config?.prompt;
	return {
		target: exact(target), ...(agent === undefined ? {} : {agent}), ...(pattern === undefined ? {} : {prompt: new RegExp(pattern)}),
		...(config?.kind === 'generic' && pattern === undefined ? {batch: true} : {}),
	};
}

function exact(target: string): string {
	const colon = target.indexOf(':');
	if (colon === -1 || target.startsWith('%')) {
		return target;
	}

	const window = target.slice(colon + 1);
	return /^\d+(\.\d+)?$/.test(window) || window.startsWith('=') ? target : `${target.slice(0, colon)}:=${window}`;
}

/**
 * The addresses that name the same recipient as `to`, its router key first: a name of this
 * session's window is written bare (`worker-1`) by some writers and as `session:name`
 * (`cmux:worker-1`) by CMUX's tools; both are one queue, so one recipient gets its messages in
 * order and never two sends at once. Window indexes, panes and other sessions stand alone.
 */
export function sameRecipient(to: string, session: string): string[] {
	const name = to.startsWith(`${session}:`) ? to.slice(session.length + 1) : to;
	if (name === 'user' || !/^[^:.=%]+$/.test(name) || /^\d+$/.test(name)) {
		return [to];
	}

	return [name, `${session}:${name}`];
}

/**
 * An address as CMUX writes it: `user` stays `user`, `session:window` stays as it is, a bare
 * agent name gets the session (`worker-1` → `cmux:worker-1`), as CMUX's `tools/mailbox` does.
 */
export function cmuxAddress(address: string, session: string): string {
	return address === 'user' || address.includes(':') ? address : `${session}:${address}`;
}

/**
 * Who is told about a rejected line: its sender when that is `user` or an agent we know (configured
 * or in the agents table), else the supervisor when there is one; undefined: nobody to tell.
 */
export function noticeRecipient(sender: string | undefined, options: {store: Store; config: Config}): string | undefined {
	const {store, config} = options;
	const name = sender?.startsWith(`${config.session}:`) ? sender.slice(config.session.length + 1) : sender;
	if (sender !== undefined && name !== undefined && (name === 'user' || isKnownAgent(store, config, name))) {
		return sender;
	}

	// No supervisor either: nobody to tell (a notice to a missing agent would only end as a dead letter).
	const supervisor = supervisorName(config);
	return isKnownAgent(store, config, supervisor) ? supervisor : undefined;
}
