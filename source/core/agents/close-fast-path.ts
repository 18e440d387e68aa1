import {errorText} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {readRegistry} from '../registry/registry.js';
import type {ClosedWindow} from './closed-windows.js';
import type {AgentLifecycle} from './lifecycle.js';
import {isLive, type AgentRecord} from './record.js';

/** What the fast path needs of the agents service. */
export interface CloseFastPathHost {
	readonly context: ServiceContext;
	readonly records: Map<string, AgentRecord>;
	readonly lifecycle: AgentLifecycle;
	/** Whether closed windows are looked at: the service is active and not stopped. */
	accepting(): boolean;
	stopped(): boolean;
	/** Ask for a full reconciliation. */
	schedule(): void;
}

/**
 * Closed windows, handled without a full reconciliation: each is mapped to its agent directly,
 * and a burst of closes is handled in one pass.
 */
export class CloseFastPath {
	/** Window ids whose close the fast path handled, so a reconciliation with an older listing leaves them alone. */
	readonly handledWindows = new Set<string>();
	/** Set while a look at closed windows is scheduled. */
	timer?: NodeJS.Immediate;
	/** Set while closed windows are being finished. */
	finishing?: Promise<void>;
	/** Window ids reported closed and not yet looked at (a burst is handled in one pass). */
	private readonly closing = new Set<string>();
	private readonly closedQueue: ClosedWindow[] = [];

	constructor(private readonly host: CloseFastPathHost) {}

	/** A window closed: look at it (and any closed with it) as soon as the current I/O is handled. */
	windowClosed(windowId: string): void {
		if (!this.host.accepting()) {
			return;
		}

		this.closing.add(windowId);
		this.timer ??= setImmediate(() => {
			this.timer = undefined;
			this.handleClosed();
		});
	}

	/**
	 * The fast path: each closed window is mapped to its agent directly, `agent.exited` is emitted at
	 * once, then the registry, zombie check and restart policy follow for all of them together.
	 * Windows not owned by a live agent that nobody else is handling get a full reconciliation.
	 */
	private handleClosed(): void {
		const ids = [...this.closing];
		this.closing.clear();
		if (this.host.stopped()) {
			return;
		}

		const byWindow = new Map([...this.host.records.values()].filter(record => record.windowId).map(record => [record.windowId!, record]));
		let read: ReturnType<typeof readRegistry>;
		try {
			read = readRegistry(this.host.context.paths.registryFile);
		} catch (error) {
			this.host.context.log.log('warn', `reading the agent registry failed: ${errorText(error)}`);
			read = {registry: {}, corrupt: errorText(error)};
		}

		let unknown = read.corrupt !== undefined;
		for (const id of ids) {
			const record = byWindow.get(id);
			if (!record || record.busy || record.state === 'restarting') {
				// Not an agent window, or a kill/start in progress owns it.
				continue;
			}

			if (!isLive(record.state) || read.corrupt !== undefined) {
				unknown = true;
				continue;
			}

			this.handledWindows.add(id);
			this.closedQueue.push(this.host.lifecycle.announceClosed(record, read.registry[record.name]));
		}

		if (unknown) {
			this.host.schedule();
		}

		this.finishing ??= (async () => {
			while (this.closedQueue.length > 0 && !this.host.stopped()) {
				const batch = this.closedQueue.splice(0);
				try {
					await this.host.lifecycle.finishClosed(batch);
				} catch (error) {
					this.host.context.log.log('warn', `handling closed agent windows failed: ${errorText(error)}`);
				}
			}
		})().finally(() => {
			this.finishing = undefined;
		});
	}
}
