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

/** tmux is missing, too old, or its server cannot be reached. */
export class TmuxError extends CmuxError {}

/** The state database cannot be opened, read or written (exit 1). */
export class StoreError extends CmuxError {}

/** Something the user asked for cannot be done in the current state (exit 1). */
export class StateError extends CmuxError {}

/** The text of an unknown thrown value, for one-line messages. */
export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
