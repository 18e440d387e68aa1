import {errorText} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';

/** Which tmux pane belongs to which agent (window names are agent names), refreshed on demand. */
export class PaneMap {
	/** Pane id → agent name ('' for a pane that is no agent's). */
	private readonly panes = new Map<string, string>();
	private lastRefresh = 0;
	private mapping?: Promise<void>;

	constructor(private readonly context: ServiceContext, private readonly isAgent: (name: string) => boolean) {}

	/**
	 * The agent of `pane`; undefined for a pane not seen yet, which starts a refresh (at most one
	 * a second, timed by `at`: output of unknown panes must not become a list-panes loop).
	 */
	agentOf(pane: string, at: number): string | undefined {
		const agent = this.panes.get(pane);
		if (agent === undefined && at - this.lastRefresh > 1000) {
			this.lastRefresh = at;
			void this.refresh();
		}

		return agent;
	}

	/** List the session's panes again (one listing at a time; it catches and logs its own failure). */
	async refresh(): Promise<void> {
		this.mapping ??= (async () => {
			try {
				const lines = await this.context.tmux.run(['list-panes', '-s', '-t', `=${this.context.config.session}`, '-F', '#{pane_id}\t#{window_name}']);
				this.panes.clear();
				for (const line of lines) {
					const [pane, window] = line.split('\t');
					if (pane) {
						this.panes.set(pane, window && this.isAgent(window) ? window : '');
					}
				}
			} catch (error) {
				this.context.log.log('debug', `listing panes: ${errorText(error)}`);
			}
		})().finally(() => {
			this.mapping = undefined;
		});
		return this.mapping;
	}

	/** Wait for a listing under way (stopping). */
	async settled(): Promise<void> {
		await this.mapping;
	}
}
