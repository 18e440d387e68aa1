import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {EventEmitter} from 'node:events';
import readline from 'node:readline';
import {TmuxError} from '../errors.js';
import type {Logger} from '../logger.js';
import {nullLogger} from '../logger.js';
import {classifyTmuxFailure, serverArgs, type Subscription, type TmuxClient, type TmuxEventSource} from './client.js';
import {endControlChild} from './end-control.js';
import {ControlParser, type TmuxNotification, type TmuxReply} from './control-parser.js';
import {ExecTmuxClient, tmuxMissingMessage} from './exec-client.js';
import {commandLine} from './quote.js';
import {requireTmux} from './version.js';

export interface ControlClientOptions {
	socket?: string;
	/** The session the control client attaches to (created when missing, as `new-session -A` does). */
	session: string;
	/** Name of the first window when the connection has to create the session. */
	homeWindow?: string;
	log?: Logger;
	/** Reconnect backoff (ms). */
	backoff?: {min: number; max: number};
	/** How long one command may take before its promise is rejected (ms). */
	commandTimeout?: number;
}

interface Pending {
	args: readonly string[];
	/** Replies still expected: tmux answers each command of a `;`-separated line with its own block. */
	remaining: number;
	lines: string[];
	error?: string;
	resolve(lines: string[]): void;
	reject(error: Error): void;
	timer?: NodeJS.Timeout;
	settled: boolean;
}

export type {Subscription} from './client.js';

type Events = {notification: [TmuxNotification]; connected: []; disconnected: [reason: string]};

/**
 * One persistent `tmux -C` connection to one tmux server. Commands are written as quoted command
 * lines and answered in order by %begin/%end/%error blocks; everything else tmux sends is a
 * notification. Pane output is switched off (`no-output`) and the client never sizes windows
 * (`ignore-size`). When the connection drops (server killed, session destroyed) it reconnects
 * with exponential backoff and emits `connected` again, so listeners re-reconcile.
 */
export class ControlTmuxClient extends EventEmitter<Events> implements TmuxClient {
	readonly socket?: string;
	private child?: ChildProcessWithoutNullStreams;
	private pending: Pending[] = [];
	private ready?: Promise<void>;
	private closed = false;
	private retryTimer?: NodeJS.Timeout;
	private delay: number;
	private readonly subscriptions = new Map<string, Subscription>();
	private checkedTmux = false;
	private exec?: ExecTmuxClient;
	/** Notifications and subscriptions, for services that react to tmux instead of polling it. */
	readonly events: TmuxEventSource = {
		onNotification: listener => {
			this.on('notification', listener);
			return () => this.off('notification', listener);
		},
		onConnected: listener => {
			this.on('connected', listener);
			return () => this.off('connected', listener);
		},
		subscribe: async subscription => this.subscribe(subscription),
	};

	constructor(private readonly options: ControlClientOptions) {
		super();
		this.setMaxListeners(50);
		this.socket = options.socket;
		this.delay = options.backoff?.min ?? 100;
	}

	/** True while a connection is up. */
	get connected(): boolean {
		return this.child !== undefined && this.ready !== undefined;
	}

	/** Connect now (run() also connects lazily). Rejects with a clear TmuxError if tmux is missing or too old. */
	async connect(): Promise<void> {
		if (this.closed) {
			throw new TmuxError('the tmux control connection is closed', {reason: 'closed'});
		}

		this.ready ??= this.open();
		return this.ready;
	}

	async run(args: readonly string[]): Promise<string[]> {
		const line = commandLine(args);
		await this.connect();
		const child = this.child;
		if (!child) {
			throw new TmuxError(`tmux ${args[0]} failed: not connected`, {reason: 'closed'});
		}

		return this.send(child, line, args);
	}

	/** Subscribe to a format; tmux sends %subscription-changed when its value changes (checked once a second). */
	async subscribe(subscription: Subscription): Promise<void> {
		this.subscriptions.set(subscription.name, subscription);
		await this.run(['refresh-client', '-B', `${subscription.name}:${subscription.target}:${subscription.format}`]);
	}

	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.retryTimer);
		const child = this.child;
		this.child = undefined;
		this.failPending(new TmuxError('the tmux control connection is closed', {reason: 'closed'}));
		await endControlChild(child);
	}

	/** A one-process-per-command client on the same server (it inherits $TMUX, as the user's shell would). */
	standalone(): TmuxClient {
		this.exec ??= new ExecTmuxClient(this.socket);
		return this.exec;
	}

	private async open(): Promise<void> {
		if (!this.checkedTmux) {
			await requireTmux();
			this.checkedTmux = true;
		}

		const env = {...process.env};
		// Inside tmux, new-session refuses to nest; a control client is not nesting. Without $TMUX the
		// server must be named, so that this client and one-shot commands (which inherit $TMUX) agree.
		const server = serverArgs(this.socket, env);
		delete env.TMUX;
		const child = spawn('tmux', [...server, '-C', 'new-session', '-A', '-s', this.options.session, '-n', this.options.homeWindow ?? 'home'], {env, stdio: 'pipe'});
		this.child = child;
		let attached: () => void = () => {};
		const attachedPromise = new Promise<void>(resolve => {
			attached = resolve;
		});
		const parser = new ControlParser({
			reply: reply => this.onReply(reply),
			notification: notification => {
				if (notification.name === 'session-changed') {
					attached();
				}

				this.emit('notification', notification);
			},
		});
		readline.createInterface({input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY}).on('line', line => parser.line(line));
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		// EPIPE after tmux exits: the 'exit' handler already reports the lost connection.
		child.stdin.on('error', () => {});
		const spawnError = new Promise<never>((_resolve, reject) => {
			child.once('error', error => {
				reject((error as NodeJS.ErrnoException).code === 'ENOENT'
					? new TmuxError(tmuxMissingMessage, {reason: 'missing', cause: error})
					: new TmuxError(`cannot start tmux: ${error.message}`, {reason: 'unreachable', cause: error}));
			});
		});
		child.once('exit', code => this.onExit(child, `tmux control client exited (code ${code ?? 'signal'})${stderr ? `: ${stderr.trim()}` : ''}`));
		try {
			// Commands sent before the client is attached fail with "no current client".
			let attachTimer: NodeJS.Timeout | undefined;
			await Promise.race([spawnError, attachedPromise, new Promise(resolve => {
				attachTimer = setTimeout(resolve, 5000);
			})]).finally(() => {
				// A pending 5 s timer would keep a quitting process alive.
				clearTimeout(attachTimer);
			});
			await Promise.race([spawnError, this.send(child, commandLine(['refresh-client', '-f', 'no-output,ignore-size']), ['refresh-client'])]);
			for (const subscription of this.subscriptions.values()) {
				await this.send(child, commandLine(['refresh-client', '-B', `${subscription.name}:${subscription.target}:${subscription.format}`]), ['refresh-client']);
			}
		} catch (error) {
			this.ready = undefined;
			if (this.child === child) {
				this.child = undefined;
				child.kill('SIGKILL');
			}

			throw error;
		}

		this.delay = this.options.backoff?.min ?? 100;
		this.emit('connected');
	}

	private async send(child: ChildProcessWithoutNullStreams, line: string, args: readonly string[]): Promise<string[]> {
		return new Promise((resolve, reject) => {
			const pending: Pending = {args, resolve, reject, settled: false, remaining: args.filter(argument => argument === ';').length + 1, lines: []};
			pending.timer = setTimeout(() => {
				// The entry stays queued so its late reply is still matched to it.
				this.settle(pending, new TmuxError(`tmux ${args[0]} timed out`, {reason: 'timeout'}));
			}, this.options.commandTimeout ?? 10_000);
			this.pending.push(pending);
			child.stdin.write(`${line}\n`);
		});
	}

	private onReply(reply: TmuxReply): void {
		if (!reply.ours) {
			return;
		}

		const pending = this.pending[0];
		if (!pending) {
			return;
		}

		pending.lines.push(...reply.lines);
		if (!reply.ok) {
			// tmux skips the rest of a command sequence after an error: no more replies come for it.
			pending.error = reply.lines.join(' ').trim();
			pending.remaining = 1;
		}

		if (--pending.remaining > 0) {
			return;
		}

		this.pending.shift();
		this.settle(pending, pending.error === undefined ? pending.lines : new TmuxError(`tmux ${pending.args[0] ?? ''} failed: ${pending.error}`, {reason: classifyTmuxFailure(pending.error)}));
	}

	private settle(pending: Pending, outcome: string[] | Error): void {
		clearTimeout(pending.timer);
		if (pending.settled) {
			return;
		}

		pending.settled = true;
		if (outcome instanceof Error) {
			pending.reject(outcome);
		} else {
			pending.resolve(outcome);
		}
	}

	private failPending(error: Error): void {
		const pending = this.pending;
		this.pending = [];
		for (const entry of pending) {
			this.settle(entry, error);
		}
	}

	private onExit(child: ChildProcessWithoutNullStreams, reason: string): void {
		if (this.child !== child) {
			return;
		}

		this.child = undefined;
		this.ready = undefined;
		this.failPending(new TmuxError(reason, {reason: this.closed ? 'closed' : 'unreachable'}));
		if (this.closed) {
			return;
		}

		(this.options.log ?? nullLogger).log('warn', reason);
		this.emit('disconnected', reason);
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		clearTimeout(this.retryTimer);
		const delay = this.delay;
		this.delay = Math.min(this.delay * 2, this.options.backoff?.max ?? 5000);
		this.retryTimer = setTimeout(() => {
			this.connect().catch((error: unknown) => {
				(this.options.log ?? nullLogger).log('warn', `tmux reconnect failed: ${(error as Error).message}`);
				if (!this.closed && !this.child) {
					this.scheduleReconnect();
				}
			});
		}, delay);
	}
}
