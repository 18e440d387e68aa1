import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import readline from 'node:readline';
import {errorText} from '../../errors.js';
import type {Logger} from '../../logger.js';
import {serverArgs} from '../../tmux/client.js';
import {endControlChild} from '../../tmux/end-control.js';
import {commandLine} from '../../tmux/quote.js';

export interface OutputTrackerOptions {
	socket?: string;
	session: string;
	log: Logger;
	/** A pane (`%N`) produced output at `at` (epoch ms). Called for every output line: keep it cheap. */
	onOutput(pane: string, at: number): void;
	now?: () => number;
	backoff?: {min: number; max: number};
	/**
	 * Awaited before every connection: resolves once the orchestrator's own control client is
	 * connected. That client creates the session when it is missing, and tmux 3.3a crashes when a
	 * session is created while another control client is still introducing itself; in this order
	 * the two connections of one orchestrator never overlap.
	 */
	before?: () => Promise<unknown>;
}

/**
 * When each pane last produced output, from a tmux control connection of its own: tmux pushes
 * `%output`/`%extended-output` for every pane of the session as it happens (no capture-pane
 * polling; an idle pane costs nothing). Flow control (`pause-after`) keeps a flooding pane from
 * piling up in tmux: a paused pane is continued at once, since only the timing matters here. The
 * content is never parsed beyond the pane id. Reconnects with backoff when the connection drops.
 */
export class OutputTracker {
	private child?: ChildProcessWithoutNullStreams;
	private connecting = false;
	private stopped = false;
	private retry?: NodeJS.Timeout;
	private delay: number;

	constructor(private readonly options: OutputTrackerOptions) {
		this.delay = options.backoff?.min ?? 200;
	}

	start(): void {
		if (this.child || this.connecting || this.stopped) {
			return;
		}

		this.connecting = true;
		void this.mayConnect().then(ready => {
			this.connecting = false;
			if (this.child || this.stopped) {
				return;
			}

			if (ready) {
				this.spawn();
			} else {
				this.scheduleRestart();
			}
		});
	}

	/** Whether `before` resolved: the main client is up. */
	private async mayConnect(): Promise<boolean> {
		try {
			await this.options.before?.();
			return true;
		} catch (error) {
			this.options.log.log('debug', `output tracker: the control connection is not up: ${errorText(error)}`);
			return false;
		}
	}

	private spawn(): void {
		const env = {...process.env};
		const server = serverArgs(this.options.socket, env);
		delete env.TMUX;
		const child = spawn('tmux', [...server, '-C', 'attach-session', '-t', `=${this.options.session}`], {env, stdio: 'pipe'});
		this.child = child;
		const now = this.options.now ?? Date.now;
		child.stdin.on('error', error => {
			this.options.log.log('debug', `output tracker: ${error.message}`);
		});
		child.stderr.resume();
		child.once('error', error => {
			this.options.log.log('warn', `output tracker: cannot start tmux: ${error.message}`);
		});
		readline.createInterface({input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY}).on('line', line => {
			if (line.startsWith('%output ') || line.startsWith('%extended-output ')) {
				const start = line.indexOf(' ') + 1;
				this.options.onOutput(line.slice(start, line.indexOf(' ', start)), now());
			} else if (line.startsWith('%pause ')) {
				this.write(['refresh-client', '-A', `${line.slice('%pause '.length).trim()}:continue`]);
			} else if (line.startsWith('%exit')) {
				child.stdin.end();
			}
		});
		child.once('exit', () => {
			if (this.child === child) {
				this.child = undefined;
				this.scheduleRestart();
			}
		});
		// Output on (no `no-output`), never size windows, pause a pane that falls 2 s behind.
		this.write(['refresh-client', '-f', 'ignore-size,pause-after=2']);
		this.delay = this.options.backoff?.min ?? 200;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.retry);
		const child = this.child;
		this.child = undefined;
		await endControlChild(child);
	}

	private write(args: string[]): void {
		this.child?.stdin.write(`${commandLine(args)}\n`);
	}

	private scheduleRestart(): void {
		if (this.stopped) {
			return;
		}

		const delay = this.delay;
		this.delay = Math.min(this.delay * 2, this.options.backoff?.max ?? 5000);
		this.retry = setTimeout(() => {
			this.start();
		}, delay);
		this.retry.unref();
	}
}
