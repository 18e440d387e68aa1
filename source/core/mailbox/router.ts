import type {Clock} from '../clock.js';
import {errorText} from '../errors.js';
import type {EventInput} from '../events.js';
import type {Logger} from '../logger.js';
import type {Recipient} from './address.js';
import type {MessageRow, MessageTable} from '../store/messages.js';
import {confirmShown, shownOffInput} from './batch.js';
import {PaneDriver, type PaneLocation} from './pane.js';
import {deliveryText} from './render.js';

/**
 * How old a pane read may be to stand in for `locate` for the next message to the same target. Its
 * row is never later than the cursor now, so a mark taken from it stays valid; a pane that died
 * meanwhile fails the send, which is retried after a fresh `locate`.
 */
const recentMs = 2000;
/** Most messages typed into one pane on one tmux command line (see `Router.sendBatch`). */
const maxBatch = 128;

export interface RouterOptions {
	store: MessageTable;
	driver: PaneDriver;
	resolve: (to: string) => Recipient;
	emit: (event: EventInput) => void;
	clock: Clock;
	log: Logger;
	root: string;
	maxAttempts: number;
	retryBase: number;
	retryMax: number;
	/** How long a batch may take to show in the pane (ms). */
	confirmMs?: number;
}

/** Where a send started in a pane, stored with `delivering` so a restart can look for it. */
export interface DeliveryMark {
	pane: string;
	/** Absolute row (history + cursor row) the cursor was on before the first key. */
	row: number;
	historyLimit: number;
}

/**
 * Delivers the `messages` table into panes. One worker per recipient takes its queue head in
 * `seq` order, so a recipient gets its messages in order and a message in backoff holds back the
 * ones behind it; a per-pane lock serialises sends into one pane. Every state change is in the
 * store before the next step: pending → delivering (before the first key) → delivered | pending
 * (retry, with exponential backoff) | dead (after `maxAttempts`).
 */
export class Router {
	private readonly workers = new Map<string, Promise<void>>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private readonly paneLocks = new Map<string, Promise<unknown>>();
	/** target → the pane the last confirmed send into it went to (see `PaneDriver.recent`). */
	private readonly lastPane = new Map<string, string>();
	private stopped = false;

	constructor(private readonly options: RouterOptions) {}

	/** Start workers for `recipients` (every recipient with waiting messages when omitted). */
	kick(recipients?: Iterable<string>): void {
		if (this.stopped) {
			return;
		}

		for (const to of recipients ?? this.options.store.waitingRecipients()) {
			if (!this.workers.has(to)) {
				const worker = this.work(to).catch((error: unknown) => {
					this.options.log.log('error', `mailbox: delivering to ${to} failed: ${errorText(error)}`);
				}).finally(() => {
					this.workers.delete(to);
				});
				this.workers.set(to, worker);
			}
		}
	}

	/** Stop taking new work and wait for sends in flight to finish. */
	async stop(): Promise<void> {
		this.stopped = true;
		for (const timer of this.timers.values()) {
			this.options.clock.clearTimeout(timer);
		}

		this.timers.clear();
		await Promise.allSettled([...this.workers.values()]);
	}

	private async work(to: string): Promise<void> {
		while (!this.stopped) {
			const queue = this.options.store.queue(to, maxBatch);
			const head = queue[0];
			if (!head) {
				return;
			}

			const wait = head.nextAttemptAt - this.options.clock.now();
			if (wait > 0) {
				this.wakeLater(to, wait);
				return;
			}

			await this.deliver(queue);
		}
	}

	private wakeLater(to: string, ms: number): void {
		this.options.clock.clearTimeout(this.timers.get(to));
		this.timers.set(to, this.options.clock.setTimeout(() => {
			this.timers.delete(to);
			this.kick([to]);
		}, ms));
	}

	/** Deliver the head of `queue`, and the messages right behind it when they can go in one batch. */
	private async deliver(queue: MessageRow[]): Promise<void> {
		const message = queue[0]!;
		if (message.to === 'user') {
			// The TUI's mailbox pane shows these from the store; there is no pane to type into.
			this.options.store.atomically(() => {
				for (const row of queue.filter(row => row.attempts === 0 && row.nextAttemptAt <= this.options.clock.now())) {
					this.delivered(row);
				}
			});
			return;
		}

		const recipient = this.options.resolve(message.to);
		// Back-to-back messages to one recipient reuse the pane state read by the previous confirm.
		const known = this.lastPane.get(recipient.target);
		const location = (known === undefined ? undefined : this.options.driver.recent(known, recentMs)) ?? await this.options.driver.locate(recipient.target);
		this.lastPane.delete(recipient.target);
		if (!location) {
			this.failed(message, `recipient missing: no pane ${recipient.target}`);
			return;
		}

		const batch = recipient.prompt ? [message] : this.batchable(queue);
		await this.withPane(location.pane, async () => batch.length > 1 ? this.sendBatch(batch, recipient, location) : this.send(message, recipient, location));
	}

	/**
	 * The head and the fresh messages right behind it that can be typed as keys (short, one line):
	 * at most `maxBatch`. Only for recipients without a prompt pattern, which take input any time.
	 */
	private batchable(queue: MessageRow[]): MessageRow[] {
		const batch: MessageRow[] = [];
		for (const row of queue) {
			if (row.attempts > 0 || row.lastError !== null || row.state !== 'pending' || row.nextAttemptAt > this.options.clock.now()
				|| !PaneDriver.typesAsKeys(deliveryText(row, this.options.root))) {
				break;
			}

			batch.push(row);
		}

		return batch.length > 0 ? batch : queue.slice(0, 1);
	}

	/**
	 * Type several messages into one pane on one tmux command line, each followed by Enter, in queue
	 * order. All are `delivering` (with the mark of the first) before the first key. The batch is
	 * confirmed as one message is: once the last text has left the input line after its Enter, and
	 * as every earlier text was typed and entered before it into the same pane, so were they. When the
	 * last one stays stuck, the earlier ones still left the input line (the next text followed their
	 * Enter): they count as delivered and the last is retried the way a single message is (Enter
	 * pressed again when it is still there), so nothing is typed twice.
	 */
	private async sendBatch(messages: MessageRow[], recipient: Recipient, location: PaneLocation): Promise<void> {
		const {driver, store} = this.options;
		const texts = messages.map(message => deliveryText(message, this.options.root));
		try {
			const mark: DeliveryMark = {pane: location.pane, row: location.historySize + location.cursorY, historyLimit: location.historyLimit};
			store.atomically(() => {
				for (const message of messages) {
					store.markDelivering(message.id, JSON.stringify(mark));
				}
			});
			await driver.typeLines(location.pane, texts);
			// A big batch takes the agent longer to show: the wait grows with it.
			const confirmed = await confirmShown(driver, location.pane, texts, mark.row, (this.options.confirmMs ?? 3000) + (texts.length * 50));
			store.atomically(() => {
				for (const [index, message] of messages.entries()) {
					if (confirmed || index < messages.length - 1) {
						this.delivered(message);
					} else {
						this.failed(message, 'unconfirmed: the text stayed on the input line after Enter');
					}
				}
			});
			if (confirmed) {
				this.lastPane.set(recipient.target, location.pane);
			}
		} catch (error) {
			store.atomically(() => {
				for (const message of messages) {
					this.failed(message, `tmux: ${errorText(error)}`);
				}
			});
		}
	}

	private async send(message: MessageRow, recipient: Recipient, location: PaneLocation): Promise<void> {
		const {driver, store} = this.options;
		const text = deliveryText(message, this.options.root);
		try {
			// A previous try left the text on the input line: press Enter instead of typing it again.
			if (message.lastError?.startsWith('unconfirmed') && await driver.stuck(location.pane, text)) {
				store.markDelivering(message.id, null);
				await driver.enter(location.pane);
			} else if (message.lastError?.startsWith('unconfirmed') && PaneDriver.typesAsKeys(text) && await shownOffInput(driver, location.pane, text)) {
				// The last of a batch that showed up late (a loaded machine): it arrived, so it is not typed again.
				store.markDelivering(message.id, null);
			} else {
				if (recipient.prompt && !await driver.waitIdle(location.pane, recipient.prompt)) {
					this.failed(message, `recipient busy: ${recipient.target} is not at its prompt`);
					return;
				}

				const mark: DeliveryMark = {pane: location.pane, row: location.historySize + location.cursorY, historyLimit: location.historyLimit};
				store.markDelivering(message.id, JSON.stringify(mark));
				await driver.type(location.pane, text);
			}

			if (await driver.confirm(location.pane, text)) {
				this.lastPane.set(recipient.target, location.pane);
				this.delivered(message);
			} else {
				this.failed(message, 'unconfirmed: the text stayed on the input line after Enter');
			}
		} catch (error) {
			this.failed(message, `tmux: ${errorText(error)}`);
		}
	}

	private delivered(message: MessageRow): void {
		this.options.store.markDelivered(message.id, new Date(this.options.clock.now()).toISOString());
		this.options.emit({type: 'message.delivered', id: message.id, from: message.from, to: message.to, attempts: message.attempts + 1});
	}

	/** Count the try; back off, or dead-letter after `maxAttempts`. */
	private failed(message: MessageRow, error: string): void {
		const {store, emit, maxAttempts, retryBase, retryMax, clock} = this.options;
		const attempts = message.attempts + 1;
		if (attempts >= maxAttempts) {
			store.markDead(message.id, error, attempts);
			emit({type: 'message.dead_letter', id: message.id, from: message.from, to: message.to, attempts, error});
			return;
		}

		const delay = Math.min(retryMax, retryBase * (2 ** (attempts - 1)));
		store.markRetry(message.id, error, attempts, clock.now() + delay);
		emit({type: 'message.retry', id: message.id, from: message.from, to: message.to, attempt: attempts, delayMs: delay, error});
	}

	/** Run `task` when no other send into `pane` is running (two addresses may name one pane). */
	private async withPane<T>(pane: string, task: () => Promise<T>): Promise<T> {
		const previous = this.paneLocks.get(pane) ?? Promise.resolve();
		const run = previous.then(task, task);
		// The next send only waits for this one to end; its failure is the caller's (awaited below).
		const settled = run.catch(() => undefined);
		this.paneLocks.set(pane, settled);
		try {
			return await run;
		} finally {
			if (this.paneLocks.get(pane) === settled) {
				this.paneLocks.delete(pane);
			}
		}
	}
}
