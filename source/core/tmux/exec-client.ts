import {execa} from 'execa';
import {TmuxError} from '../errors.js';
import {classifyTmuxFailure, socketArgs, unreachableMessage, type TmuxClient} from './client.js';

export const tmuxMissingMessage = 'tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)';

/** Runs each command as its own `tmux` process. Right for one-shot commands; the loop uses control mode. */
export class ExecTmuxClient implements TmuxClient {
	constructor(readonly socket?: string) {}

	async run(args: readonly string[]): Promise<string[]> {
		const result = await execa('tmux', [...socketArgs({socket: this.socket}), ...args.map(escapeTrailingSemicolon)], {reject: false, stdin: 'ignore', timeout: 10_000});
		if (result.failed) {
			const code = (result as {code?: string}).code;
			if (code === 'ENOENT') {
				throw new TmuxError(tmuxMissingMessage, {reason: 'missing', cause: result});
			}

			if (result.timedOut) {
				throw new TmuxError(`tmux ${args[0] ?? ''} timed out`, {reason: 'timeout'});
			}

			const detail = String(result.stderr || result.shortMessage || '').trim();
			const reason = classifyTmuxFailure(detail);
			throw new TmuxError(reason === 'unreachable' ? unreachableMessage(this.socket, detail) : `tmux ${args[0] ?? ''} failed: ${detail}`, {reason});
		}

		const stdout = String(result.stdout ?? '');
		return stdout === '' ? [] : stdout.split('\n');
	}

	async close(): Promise<void> {}

	standalone(): TmuxClient {
		return this;
	}
}

/**
 * tmux reads an argv element ending in `;` as "end of command" (`hello;` arrives as `hello`);
 * a backslash before that `;` makes it literal. A lone `;` stays a separator, as in tmux's own argv.
 */
export function escapeTrailingSemicolon(argument: string): string {
	return argument !== ';' && argument.endsWith(';') ? `${argument.slice(0, -1)}\\;` : argument;
}
