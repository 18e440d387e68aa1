import {appendJournal} from '../journal/journal.js';
import type {ServiceContext} from '../orchestrator.js';
import {entryTarget} from '../registry/cmux-entry.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import type {AgentLifecycle} from './lifecycle.js';
import {isLive, recordFromEntry, type AgentRecord} from './record.js';
import {listPanes, type PaneInfo} from './windows.js';

/** What one reconciliation pass reads and changes (the agents service is one). */
export interface ReconcileHost {
	readonly context: ServiceContext;
	readonly records: Map<string, AgentRecord>;
	readonly lifecycle: AgentLifecycle;
	/** Window ids whose close the fast path handled, so a reconciliation with an older listing leaves them alone. */
	readonly handledWindows: ReadonlySet<string>;
	/** Whether the service has stopped (checked before each agent). */
	stopped(): boolean;
}

/**
 * Bring tmux, the registry and the records into agreement: adopt live windows, handle exits and
 * closed windows, kill dead-pane zombies, and (on the initial pass) start configured agents.
 */
export async function reconcileAgents(host: ReconcileHost, initial: boolean): Promise<void> {
	const {config, paths} = host.context;
	const panes = await listPanes(host.context.tmux);
	const byId = new Map(panes.map(pane => [pane.windowId, pane]));
	const byTarget = new Map<string, PaneInfo>();
	for (const pane of panes) {
		if (!byTarget.has(pane.target)) {
			byTarget.set(pane.target, pane);
		}
	}

	const read = readRegistry(paths.registryFile);
	let registry = read.registry;
	if (read.corrupt !== undefined) {
		registry = await recoverRegistry(host, read.corrupt);
	}

	for (const entry of Object.values(registry)) {
		const known = host.records.get(entry.name);
		if (known) {
			known.permanent = entry.permanent === true;
		} else {
			host.records.set(entry.name, recordFromEntry(entry));
		}
	}

	// The listing may predate windows closed (and handled on the fast path) while this runs.
	const open = (pane: PaneInfo | undefined) => pane && !host.handledWindows.has(pane.windowId) ? pane : undefined;
	for (const record of host.records.values()) {
		if (record.busy || record.state === 'restarting' || host.stopped()) {
			continue;
		}

		const entry = registry[record.name];
		const pane = open(record.windowId ? byId.get(record.windowId) : undefined)
			?? open(entry?.window_id ? byId.get(entry.window_id) : undefined)
			?? open(byTarget.get(entryTarget(entry?.window, config.session, record.name)));
		if (!pane && record.windowId && host.handledWindows.has(record.windowId)) {
			// Its close was handled on the fast path; this registry snapshot may be older than that.
			continue;
		}

		if (pane && !pane.dead && !record.config && !entry && isLive(record.state) && read.corrupt === undefined) {
			// Unregistered (`cmux-tui unregister`, a CMUX tool) while its window lives: forgotten, left alone.
			host.lifecycle.forget(record);
		} else if (pane && !pane.dead) {
			if (!isLive(record.state) || record.windowId !== pane.windowId || record.pid !== pane.pid || !entry) {
				await host.lifecycle.adopt(record, pane, entry);
			}
		} else if (pane) {
			if (isLive(record.state) && record.windowId === pane.windowId) {
				await host.lifecycle.exited(record, pane, entry);
			} else {
				await host.lifecycle.deadPaneZombie(record, pane);
				if (initial && record.config && !record.held) {
					await host.lifecycle.start(record);
				}
			}
		} else if (record.permanent && !record.config && entry) {
			host.lifecycle.permanentMissing(record);
		} else if (isLive(record.state) || (entry && typeof entry.stopping !== 'string')) {
			await host.lifecycle.windowGone(record, entry);
			if (initial && record.config && !record.held && record.state === 'exited') {
				await host.lifecycle.start(record);
			}
		} else if (initial && record.config && !record.held && record.state !== 'failed') {
			await host.lifecycle.start(record);
		}
	}
}

/** Move the corrupt file aside and rebuild the registry from what tmux shows. */
async function recoverRegistry(host: ReconcileHost, problem: string): Promise<Record<string, never>> {
	const {corruptMovedTo} = await updateRegistry(host.context.paths.registryFile, () => {});
	const message = `agent registry was corrupt (${problem}); moved to ${corruptMovedTo ?? '?'} and rebuilt from tmux`;
	host.context.log.log('error', message);
	appendJournal(host.context.paths.journalDir, {title: 'Agent registry was corrupt', body: message});
	host.context.store.setServiceState('agents', 'degraded', {reason: message, corruptMovedTo});
	// Each agent whose window lives is registered again below (adopt: no entry); it did not restart,
	// so no `agent.started` is announced for it.
	return {};
}
