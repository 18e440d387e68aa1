/** Where the tmux server lives: `tmux -L socket`, or the user's default server when undefined. */
export interface TmuxTarget {
	socket?: string;
}

/**
 * The one way core code talks to tmux. Commands are argument arrays, never shell strings.
 * Implementations: `ExecTmuxClient` (a subprocess per command, for one-shot CLI commands) and the
 * orchestrator's persistent control-mode client.
 */
export interface TmuxClient {
	readonly socket?: string;
	/** Run one tmux command; resolves with its output lines, rejects with a TmuxError. */
	run(args: readonly string[]): Promise<string[]>;
	/** Release the connection (no-op for the exec client). */
	close(): Promise<void>;
}

/** The `tmux` argument prefix that selects the server. */
export function socketArgs(target: TmuxTarget): string[] {
	return target.socket ? ['-L', target.socket] : [];
}

/**
 * The server the tmux command line would pick, made explicit for a client started without $TMUX:
 * `-L socket` when configured, else the server of the pane we run in ($TMUX's socket path), else
 * the user's default server.
 */
export function serverArgs(socket: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
	if (socket) {
		return ['-L', socket];
	}

	const insideServer = env.TMUX?.split(',')[0];
	return insideServer ? ['-S', insideServer] : [];
}
