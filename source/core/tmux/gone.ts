import {TmuxError} from '../errors.js';

/**
 * `.catch(alreadyGone)` for a command on a window, pane or session that may have closed by itself
 * (or whose server has exited): that is the outcome the command wanted, so it yields no lines.
 * Any other failure is rethrown.
 */
export function alreadyGone(error: unknown): string[] {
	if (error instanceof TmuxError && (error.reason === 'not-found' || error.reason === 'unreachable')) {
		return [];
	}

	throw error;
}
