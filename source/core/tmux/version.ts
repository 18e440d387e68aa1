import {execa} from 'execa';
import {TmuxError} from '../errors.js';

export const minimumTmuxVersion = 3.2;

/** The installed tmux version as a number (3.3 for "tmux 3.3a"); throws TmuxError when missing or too old. */
export async function requireTmux(): Promise<{version: number; text: string}> {
	let text: string;
	try {
		text = (await execa('tmux', ['-V'], {stdin: 'ignore', timeout: 5000})).stdout.trim();
	} catch (error) {
		const missing = (error as {code?: string}).code === 'ENOENT';
		throw new TmuxError(missing
			? 'tmux is not installed (install tmux 3.2 or newer, e.g. apt-get install tmux)'
			: `tmux -V failed: ${(error as Error).message}`, {cause: error});
	}

	const version = parseTmuxVersion(text);
	if (version === undefined) {
		throw new TmuxError(`cannot read the tmux version from ${JSON.stringify(text)}`);
	}

	if (version < minimumTmuxVersion) {
		throw new TmuxError(`${text} is too old: cmux-tui needs tmux ${minimumTmuxVersion} or newer`);
	}

	return {version, text};
}

/** "tmux 3.3a" → 3.3, "tmux next-3.5" → 3.5, "tmux master" → Infinity. */
export function parseTmuxVersion(text: string): number | undefined {
	if (/\bmaster\b/.test(text)) {
		return Number.POSITIVE_INFINITY;
	}

	const match = /(\d+)\.(\d+)/.exec(text);
	return match ? Number(match[1]) + Number(match[2]) / (match[2]!.length > 1 ? 100 : 10) : undefined;
}
