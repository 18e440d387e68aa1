import {errorText} from '../errors.js';
import type {Logger} from '../logger.js';

/** One chain of work per key (a task or an agent), so claims, offers and hand-offs never race each other. */
export class Chains {
	private readonly chains = new Map<string, Promise<unknown>>();

	constructor(private readonly log: Logger) {}

	/** Run `work` after everything queued under `key`; a failure is logged and does not stop the chain. */
	run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.chains.get(key) ?? Promise.resolve();
		const next = previous.then(work, work);
		const settled = next.catch((error: unknown) => {
			this.log.log('warn', `tasks (${key}): ${errorText(error)}`);
		});
		this.chains.set(key, settled);
		void settled.then(() => {
			if (this.chains.get(key) === settled) {
				this.chains.delete(key);
			}
		});
		return next;
	}

	/** Wait for every chain to finish (on stop). */
	async settle(): Promise<void> {
		await Promise.allSettled([...this.chains.values()]);
	}
}
