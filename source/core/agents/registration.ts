import type {TmuxClient} from '../tmux/client.js';
import type {RegistryEntry} from '../registry/entry.js';
import {updateRegistry} from '../registry/registry.js';
import {alreadyGone} from '../tmux/gone.js';
import type {AgentRecord} from './record.js';

/** Write the agent's entry (other keys kept); resolves true when the entry is new. */
export async function registerAgent(registryFile: string, record: AgentRecord, extra: Partial<RegistryEntry>): Promise<{result: boolean}> {
	const now = new Date().toISOString();
	return updateRegistry(registryFile, registry => {
		const existing = registry[record.name];
		registry[record.name] = {
			...existing, ...extra, name: record.name, type: record.type,
			...(record.target ? {window: record.target} : {}), ...(record.windowId ? {window_id: record.windowId} : {}),
			...(record.paneId ? {pane_id: record.paneId} : {}), ...(record.pid ? {pid: record.pid} : {}),
			...(record.cookie ? {cookie: record.cookie} : {}), ...(record.command ? {command: record.command} : {}),
			registered_at: existing?.registered_at ?? now,
		};
		delete registry[record.name]!.stopping;
		return existing === undefined;
	});
}

/**
 * `register NAME`: the entry of an agent a script started, with its window's ids when tmux knows
 * the window. Written under the registry lock; other keys of an existing entry are kept.
 */
export async function registerScriptAgent(registryFile: string, tmux: TmuxClient, name: string, options: {window: string; type?: string}): Promise<RegistryEntry> {
	// A window that does not exist (yet) is not an error: the entry names it, reconciliation decides.
	// A script may register before its window exists (or before a server runs): the entry is adopted once it does.
	const found = await tmux.run(['display-message', '-p', '-t', options.window, '#{window_id}\t#{pane_id}\t#{pane_pid}']).catch(alreadyGone);
	const [windowId, paneId, pid] = (found[0] ?? '').split('\t');
	const now = new Date().toISOString();
	const {result} = await updateRegistry(registryFile, entries => {
		entries[name] = {
			...entries[name], name, type: options.type ?? entries[name]?.type ?? 'worker', window: options.window, source: entries[name]?.source ?? 'register',
			registered_at: entries[name]?.registered_at ?? now,
			...(windowId ? {window_id: windowId, pane_id: paneId, pid: Number(pid)} : {}),
		};
		return entries[name]!;
	});
	return result;
}
