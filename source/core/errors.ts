/** Exit codes fixed by SPEC.md. */
export const exitCodes = {ok: 0, failed: 1, usage: 2, interrupted: 130} as const;

/** Base error for everything cmux-tui reports to a user: one line, an exit code, the original cause kept. */
export class CmuxError extends Error {
	readonly exitCode: number;

	constructor(message: string, options: {exitCode?: number; cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.name = new.target.name;
		this.exitCode = options.exitCode ?? exitCodes.failed;
	}
}

/** A configuration file or environment override that does not validate (exit 2). */
export class ConfigError extends CmuxError {
	readonly keyPath: string;

	constructor(keyPath: string, message: string, options: {cause?: unknown} = {}) {
		super(keyPath ? `${keyPath}: ${message}` : message, {exitCode: exitCodes.usage, cause: options.cause});
		this.keyPath = keyPath;
	}
}

/** Wrong command-line usage (exit 2). */
export class UsageError extends CmuxError {
	constructor(message: string) {
		super(message, {exitCode: exitCodes.usage});
	}
}

/**
 * Why a tmux command failed, decided once where tmux's answer is read (its exit and stderr, or a
 * control-mode %error block) so that callers branch on this code, never on the message text.
 * - `missing`: no tmux binary; `version`: tmux too old or unreadable;
 * - `unreachable`: no server answers on the socket (none running, or the socket refuses us);
 * - `not-found`: the server answered that the session, window or pane does not exist;
 * - `timeout`, `closed`: the command got no answer, or the connection was closed;
 * - `command`: any other refusal of the command itself.
 */
export type TmuxFailure = 'missing' | 'version' | 'unreachable' | 'not-found' | 'timeout' | 'closed' | 'command';

/** tmux is missing, too old, its server cannot be reached, or it refused a command (`reason` says which). */
export class TmuxError extends CmuxError {
	readonly reason: TmuxFailure;

	constructor(message: string, options: {reason?: TmuxFailure; cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.reason = options.reason ?? 'command';
	}
}

/**
 * Something read from outside (a file on disk, a stored row, a request body) that does not have
 * the shape it must have. `source` names where it came from, `field` the path inside it.
 */
export class InputError extends CmuxError {
	readonly source: string;
	readonly field: string;

	constructor(source: string, field: string, message: string, options: {cause?: unknown} = {}) {
		super(`${source}: ${field ? `${field}: ` : ''}${message}`, {cause: options.cause});
		this.source = source;
		this.field = field;
	}
}

/** The state database cannot be opened, read or written (exit 1). */
export class StoreError extends CmuxError {}

/** Something the user asked for cannot be done in the current state (exit 1). */
export class StateError extends CmuxError {}

/** The text of an unknown thrown value, for one-line messages. */
export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
