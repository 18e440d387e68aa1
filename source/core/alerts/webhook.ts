import {CmuxError, errorText} from '../errors.js';
import type {Logger} from '../logger.js';

export interface WebhookOptions {
	url: string;
	/** Per attempt. */
	timeout: number;
	log: Logger;
	/** Tries after the first (default 3). */
	retries?: number;
	/** First retry delay, doubled each time (default 500 ms). */
	backoff?: number;
	/** Alerts waiting beyond this many drop the oldest (default 100). */
	maxQueue?: number;
}

/**
 * Posts alerts as JSON, one at a time, in the background: `enqueue` returns at once, so a slow or
 * hanging receiver never holds up the loop. Each post has a timeout; network errors, timeouts,
 * 429 and 5xx are retried with exponential backoff; other answers are final. The queue is bounded.
 */
export class WebhookQueue {
	private readonly queue: unknown[] = [];
	private running?: Promise<void>;
	private stopped = false;
	private readonly abort = new AbortController();
	/** Counts, for tests and the log. */
	readonly stats = {sent: 0, failed: 0, dropped: 0, attempts: 0};

	constructor(private readonly options: WebhookOptions) {}

	enqueue(payload: unknown): void {
		if (this.stopped) {
			return;
		}

		this.queue.push(payload);
		if (this.queue.length > (this.options.maxQueue ?? 100)) {
			this.queue.shift();
			this.stats.dropped++;
			this.options.log.log('warn', 'webhook queue full: dropped the oldest alert', {url: this.options.url});
		}

		this.running ??= this.drain().finally(() => {
			this.running = undefined;
		});
	}

	/** Resolves when the queue is empty (or stopped). */
	async idle(): Promise<void> {
		while (this.running) {
			await this.running;
		}
	}

	/** Give the post in flight up to `grace` ms, then abort it and drop the rest. */
	async stop(grace = 1000): Promise<void> {
		this.stopped = true;
		const timer = setTimeout(() => {
			this.abort.abort();
		}, grace);
		// drain() logs every failed post itself; this only waits for it to end.
		await this.running?.catch(() => undefined);
		clearTimeout(timer);
		this.abort.abort();
	}

	private async drain(): Promise<void> {
		while (this.queue.length > 0 && !this.abort.signal.aborted) {
			const payload = this.queue.shift();
			await this.post(payload);
		}
	}

	private async post(payload: unknown): Promise<void> {
		const retries = this.options.retries ?? 3;
		for (let attempt = 0; ; attempt++) {
			this.stats.attempts++;
			const problem = await this.attempt(payload);
			if (problem === undefined) {
				this.stats.sent++;
				return;
			}

			if (problem.final || attempt >= retries || this.abort.signal.aborted) {
				this.stats.failed++;
				this.options.log.log('warn', `webhook failed: ${problem.text}`, {url: this.options.url, attempts: attempt + 1});
				return;
			}

			await this.sleep((this.options.backoff ?? 500) * (2 ** attempt));
		}
	}

	private async attempt(payload: unknown): Promise<{text: string; final: boolean} | undefined> {
		// An own controller and timer: AbortSignal.timeout inside AbortSignal.any can be garbage
		// collected before it fires (seen under ava), which would leave a hanging post hanging forever.
		const controller = new AbortController();
		const timer = setTimeout(() => {
			controller.abort(new CmuxError(`timed out after ${this.options.timeout} ms`));
		}, this.options.timeout);
		const onStop = () => {
			controller.abort(new CmuxError('stopped'));
		};

		this.abort.signal.addEventListener('abort', onStop, {once: true});
		try {
			const response = await fetch(this.options.url, {
				method: 'POST',
				headers: {'content-type': 'application/json'},
				body: JSON.stringify(payload),
				signal: controller.signal,
			});
			// Only the status matters; a body that cannot be cancelled is dropped with the response.
			await response.body?.cancel().catch(() => undefined);
			if (response.ok) {
				return undefined;
			}

			return {text: `HTTP ${response.status}`, final: response.status < 500 && response.status !== 429};
		} catch (error) {
			return {text: errorText(controller.signal.aborted ? controller.signal.reason : error), final: false};
		} finally {
			clearTimeout(timer);
			this.abort.signal.removeEventListener('abort', onStop);
		}
	}

	private async sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			const timer = setTimeout(resolve, ms);
			this.abort.signal.addEventListener('abort', () => {
				clearTimeout(timer);
				resolve();
			}, {once: true});
		});
	}
}
