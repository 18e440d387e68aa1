import type {Clock} from '../clock.js';
import {errorText, StoreError} from '../errors.js';
import type {EventInput} from '../events.js';
import type {Logger} from '../logger.js';
import type {Recipient} from './address.js';
import type {MessageRow, MessageTable} from '../store/messages.js';
import {batchFrom, batchLookahead, sendBatch, type Typed} from './batch.js';
import type {DeliveryMark, InputLine, PaneDriver, PaneLocation} from './pane.js';
import {shownSinceMark} from './recover.js';
import {deliveryText} from './render.js';

/** How old a pane read may be to stand in for `locate` for the next message to the same target. */
const recentMs = 100;
/** How long a pane that did not show all of a batch gets its messages one at a time. */
const unbatchedMs = 30_000;

export interface RouterOptions {
	store: MessageTable;
	driver: PaneDriver;
	resolve: (to: string) => Recipient;
	/** The addresses naming the same recipient as `to`, the queue's key first (default: `to` alone). */
	sameRecipient?: (to: string) => string[];
	/** Why mail to `to` is refused (a window of a session not managed and not allowed), if it is. */
	refuse?: (to: string) => string | undefined;
	emit: (event: EventInput) => void;
	/** Several events, stored in one transaction. */
	emitAll: (events: EventInput[]) => void;
	clock: Clock;
	log: Logger;
	root: string;
	maxAttempts: number;
	retryBase: number;
	retryMax: number;
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
	/**
	 * Rows whose state the store would not change even to `dead`: skipped for the rest of this run,
	 * so one bad row can neither loop nor hold up the messages behind it.
	 */
	private readonly given = new Set<number>();
	private readonly storeFailures = new Map<number, number>();
	/** pane → until when it gets no batches (it did not show all of one). */
	private readonly unbatched = new Map<string, number>();
	private stopped = false;

	constructor(private readonly options: RouterOptions) {}

	/** Start workers for `recipients` (every recipient with waiting messages when omitted). */
	kick(recipients?: Iterable<string>): void {
		if (this.stopped) {
			return;
		}

		for (const address of recipients ?? this.options.store.waitingRecipients()) {
			const addresses = this.options.sameRecipient?.(address) ?? [address];
			const to = addresses[0]!;
			if (!this.workers.has(to)) {
				const worker = this.work(to, addresses).catch((error: unknown) => {
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

	private async work(to: string, addresses: readonly string[]): Promise<void> {
		let previous: MessageRow | undefined;
		while (!this.stopped) {
			const head = this.options.store.head(addresses, [...this.given]);
			if (!head) {
				return;
			}

			// The row we just handled comes back unchanged: its state change did not take. Never again.
			if (previous?.seq === head.seq && previous.attempts === head.attempts && previous.state === head.state) {
				this.giveUp(head, 'its delivery state did not change in the store');
				continue;
			}

			const wait = head.nextAttemptAt - this.options.clock.now();
			if (wait > 0) {
				this.wakeLater(to, wait);
				return;
			}

			previous = head;
			try {
				await this.deliver(head, addresses);
			} catch (error) {
				// A store write failed (the row, or the disk): count the try, back off, dead-letter after maxAttempts.
				const failures = this.stateFailed(head, error);
				if (!this.given.has(head.seq)) {
					this.wakeLater(to, Math.min(this.options.retryMax, this.options.retryBase * (2 ** (failures - 1))));
					return;
				}
			}
		}
	}

	private wakeLater(to: string, ms: number): void {
		this.options.clock.clearTimeout(this.timers.get(to));
		this.timers.set(to, this.options.clock.setTimeout(() => {
			this.timers.delete(to);
			this.kick([to]);
		}, ms));
	}

	private async deliver(message: MessageRow, addresses: readonly string[]): Promise<void> {
		const refused = this.options.refuse?.(message.to);
		if (refused) {
			this.dead(message, refused, message.attempts + 1);
			return;
		}

		if (message.to === 'user') {
			// The TUI's mailbox pane shows these from the store; there is no pane to type into.
			this.delivered(message);
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

		const batch = recipient.batch && (this.unbatched.get(location.pane) ?? 0) <= this.options.clock.now() ? batchFrom(message, this.options.store.following(addresses, message.seq, batchLookahead), {
			root: this.options.root, now: this.options.clock.now(), skip: next => this.given.has(next.seq) || this.options.refuse?.(next.to) !== undefined,
		}) : [];
		await this.withPane(location.pane, async () => batch.length > 1 ? this.sendBatch(batch, recipient, location) : this.send(message, recipient, location));
	}

	/** A batch: all shown → on; else the pane gets one message at a time for a while. */
	private async sendBatch(batch: Typed[], recipient: Recipient, location: PaneLocation): Promise<void> {
		const shown = await sendBatch({...this.options, failed: (message, error) => {
			this.failed(message, error);
		}}, batch, location);
		if (shown === batch.length) {
			this.lastPane.set(recipient.target, location.pane);
		} else if (shown !== undefined) {
			this.unbatched.set(location.pane, this.options.clock.now() + unbatchedMs);
			this.options.log.log('info', `mailbox: ${recipient.target} showed ${shown} of ${batch.length} messages typed in one go; one at a time for ${unbatchedMs / 1000} s`);
		}
	}

	/**
	 * Type the message into the pane and confirm it left the input line. Once a try has set a
	 * delivery mark (it may have put keys into the pane), the mark stays through every retry, and
	 * each later try looks before typing: still on the input line → Enter only; shown in the pane
	 * since the mark (a slow agent took it late, a timed-out tmux command ran after all) →
	 * delivered; else typed again, flagged `maybe_duplicate` when the look could not be sure (the
	 * pane's history was trimmed past the mark).
	 */
	private async send(message: MessageRow, recipient: Recipient, location: PaneLocation): Promise<void> {
		const {driver, store} = this.options;
		const text = deliveryText(message, this.options.root);
		let unsure = false;
		// The input line before this try's keys (none when the try only presses Enter).
		let before: InputLine | undefined;
		try {
			const tried = message.deliveryMark !== null;
			if (tried && await driver.stuck(location.pane, text)) {
				store.markDelivering(message.seq, message.deliveryMark);
				await driver.enter(location.pane);
			} else {
				const seen = tried ? await shownSinceMark(message, text, driver) : undefined;
				if (seen?.shown) {
					this.delivered(message);
					return;
				}

				unsure = seen !== undefined && !seen.certain;
				if (recipient.prompt && !await driver.waitIdle(location.pane, recipient.prompt)) {
					this.failed(message, `recipient busy: ${recipient.target} is not at its prompt`);
					return;
				}

				const mark: DeliveryMark = {pane: location.pane, row: location.historySize + location.cursorY, historyLimit: location.historyLimit};
				store.markDelivering(message.seq, JSON.stringify(mark));
				before = await driver.type(location.pane, text);
			}

			if (await driver.confirm(location.pane, text, before)) {
				this.lastPane.set(recipient.target, location.pane);
				this.delivered(message, unsure);
			} else {
				this.failed(message, 'unconfirmed: the text stayed on the input line after Enter');
			}
		} catch (error) {
			if (error instanceof StoreError) {
				throw error;
			}

			this.failed(message, `tmux: ${errorText(error)}`);
		}
	}

	private delivered(message: MessageRow, maybeDuplicate = false): void {
		try {
			this.options.store.markDelivered(message.seq, new Date(this.options.clock.now()).toISOString(), {maybeDuplicate});
		} catch (error) {
			// It did reach the pane: typing it again would duplicate it, so it is never tried again.
			this.giveUp(message, `delivered, but the store could not record it: ${errorText(error)}`);
			return;
		}

		this.options.emit({type: 'message.delivered', id: message.id, from: message.from, to: message.to, attempts: message.attempts + 1});
	}

	/** Count the try; back off, or dead-letter after `maxAttempts`. */
	private failed(message: MessageRow, error: string): void {
		const {store, emit, maxAttempts, retryBase, retryMax, clock} = this.options;
		const attempts = message.attempts + 1;
		if (attempts >= maxAttempts) {
			this.dead(message, error, attempts);
			return;
		}

		const delay = Math.min(retryMax, retryBase * (2 ** (attempts - 1)));
		store.markRetry(message.seq, error, attempts, clock.now() + delay);
		emit({type: 'message.retry', id: message.id, from: message.from, to: message.to, attempt: attempts, delayMs: delay, error});
	}

	private dead(message: MessageRow, error: string, attempts: number): void {
		this.options.store.markDead(message.seq, error, attempts);
		this.options.emit({type: 'message.dead_letter', id: message.id, from: message.from, to: message.to, attempts, error});
	}

	/** A store write failed: counted in memory (the store may be what fails), dead after maxAttempts. */
	private stateFailed(message: MessageRow, error: unknown): number {
		const failures = (this.storeFailures.get(message.seq) ?? 0) + 1;
		this.storeFailures.set(message.seq, failures);
		this.options.log.log('warn', `mailbox: message ${message.seq} to ${message.to}: ${errorText(error)} (try ${failures} of ${this.options.maxAttempts})`);
		if (failures >= this.options.maxAttempts) {
			this.giveUp(message, `the store failed ${failures} times: ${errorText(error)}`);
		}

		return failures;
	}

	/** Dead-letter a row for good: in the store if it can be written, in memory in any case. */
	private giveUp(message: MessageRow, error: string): void {
		this.given.add(message.seq);
		this.storeFailures.delete(message.seq);
		try {
			this.options.store.markDead(message.seq, error, message.attempts + 1);
		} catch (markError) {
			this.options.log.log('error', `mailbox: message ${message.seq} cannot be marked dead either (${errorText(markError)}); skipped until restart`);
		}

		this.options.emit({type: 'message.dead_letter', id: message.id, from: message.from, to: message.to, attempts: message.attempts + 1, error});
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
