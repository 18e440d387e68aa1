import {execa} from 'execa';
import {TmuxError} from '../errors.js';
import {socketArgs, type TmuxClient} from './client.js';

/** Runs each command as its own `tmux` process. Right for one-shot commands; the loop uses control mode. */
export class ExecTmuxClient implements TmuxClient {
	constructor(readonly socket?: string) {}

	async run(args: readonly string[]): Promise<string[]> {
		const result = await execa('tmux', [...socketArgs({socket: this.socket}), ...args.map(escapeTrailingSemicolon)], {reject: false, stdin: 'ignore', timeout: 10_000});
		if (result.failed) {
			const code = (result as {code?: string}).code;
			if (code === 'ENOENT') {
				throw new TmuxError('tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)');
			}

			throw new TmuxError(`tmux ${args[0] ?? ''} failed: ${String(result.stderr || result.shortMessage || '').trim()}`);
		}

		const stdout = String(result.stdout ?? '');
		return stdout === '' ? [] : stdout.split('\n');
	}

	async close(): Promise<void> {}
}

/**
 * tmux reads an argv element ending in `;` as "end of command" (`hello;` arrives as `hello`);
 * a backslash before that `;` makes it literal. A lone `;` stays a separator, as in tmux's own argv.
 */
export function escapeTrailingSemicolon(argument: string): string {
	return argument !== ';' && argument.endsWith(';') ? `${argument.slice(0, -1)}\\;` : argument;
}
