import type {TmuxFailure} from '../errors.js';
import type {TmuxNotification} from './control-parser.js';

/** Where the tmux server lives: `tmux -L socket`, or the user's default server when undefined. */
export interface TmuxTarget {
	socket?: string;
}

/** A format subscription (`refresh-client -B`), re-applied after every reconnect. */
export interface Subscription {
	name: string;
	/** Empty for the session, `%*` for all its panes, `@*` for all its windows, `%ID`, `@ID`. */
	target: string;
	format: string;
}

/**
 * What a client that holds a connection to the server can do beyond commands: hear tmux's
 * notifications (windows closing, panes dying, …) and subscribe to formats. A client without it
 * (one process per command) cannot hear anything, so its users poll.
 */
export interface TmuxEventSource {
	/** Call `listener` for every notification; returns the function that stops it. */
	onNotification(listener: (notification: TmuxNotification) => void): () => void;
	/** Call `listener` after every (re)connection, when window and pane ids may have started over. */
	onConnected(listener: () => void): () => void;
	/** Subscribe to a format; tmux sends %subscription-changed when its value changes. Kept across reconnects. */
	subscribe(subscription: Subscription): Promise<void>;
}

/**
 * The one way core code talks to tmux. Commands are argument arrays, never shell strings.
 * Implementations: `ExecTmuxClient` (a subprocess per command, for one-shot CLI commands) and the
 * orchestrator's persistent control-mode client. Services are given their client, never make one.
 */
export interface TmuxClient {
	readonly socket?: string;
	/** Run one tmux command; resolves with its output lines, rejects with a TmuxError whose `reason` says why. */
	run(args: readonly string[]): Promise<string[]>;
	/** Release the connection (no-op for the exec client). */
	close(): Promise<void>;
	/** Notifications and subscriptions, when this client hears them (control mode); undefined otherwise. */
	readonly events?: TmuxEventSource;
	/**
	 * A client on the same server whose commands run as processes of their own, as if typed in the
	 * shell that started cmux-tui: `switch-client` then moves the user's own tmux client (not a
	 * control client), and commands still work after `close()`. Absent when `run` already works
	 * that way (use `standaloneClient`).
	 */
	standalone?(): TmuxClient;
}

/** The client's standalone client, or the client itself when its commands already run on their own. */
export function standaloneClient(tmux: TmuxClient): TmuxClient {
	return tmux.standalone?.() ?? tmux;
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

/** The server as a user would name it in a message: the `-L` socket, $TMUX's socket path, or "default". */
export function serverName(socket: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	return socket ?? env.TMUX?.split(',')[0] ?? 'default';
}

/**
 * What a failed tmux command's error text means. tmux says why only in words (exit status 1 for
 * everything), so this is the one place those words are read; everything else branches on the
 * returned code.
 */
export function classifyTmuxFailure(text: string): TmuxFailure {
	if (/no server running|error connecting to|server exited unexpectedly|lost server/i.test(text)) {
		return 'unreachable';
	}

	if (/can't find|no such (session|window|pane)|session not found|window not found|pane not found|no sessions|no current (session|window|target)/i.test(text)) {
		return 'not-found';
	}

	return 'command';
}

/** The message for a server that does not answer, naming its socket. */
export function unreachableMessage(socket: string | undefined, detail: string): string {
	return `cannot reach the tmux server on socket ${serverName(socket)}: ${detail}`;
}
