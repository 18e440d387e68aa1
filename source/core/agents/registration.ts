import type {TmuxClient} from '../tmux/client.js';
import type {RegistryEntry} from '../registry/entry.js';
import {cmuxEntryFields} from '../registry/cmux-entry.js';
import {updateRegistry} from '../registry/registry.js';
import type {AgentRecord} from './record.js';
import {checkAgentName, findRegisteredPane} from './register-check.js';

/**
 * Write the agent's entry (other keys kept, CMUX's `agent_id`, `display_name`, `role`, `created_at`
 * filled in when missing); resolves true when the entry is new. A bare `window` CMUX wrote that
 * names the same window is left as CMUX wrote it.
 */
export async function registerAgent(registryFile: string, record: AgentRecord, extra: Partial<RegistryEntry>): Promise<{result: boolean}> {
	const now = new Date().toISOString();
	return updateRegistry(registryFile, registry => {
		const existing = registry[record.name];
		const sameBareWindow = typeof existing?.window === 'string' && !existing.window.includes(':') && record.target?.endsWith(`:${existing.window}`);
		registry[record.name] = {
			...existing, ...cmuxEntryFields(record.name, record.type, existing, registry, now), ...extra, name: record.name, type: record.type,
			...(record.target && !sameBareWindow ? {window: record.target} : {}), ...(record.windowId ? {window_id: record.windowId} : {}),
			...(record.paneId ? {pane_id: record.paneId} : {}), ...(record.pid ? {pid: record.pid} : {}),
			...(record.cookie ? {cookie: record.cookie} : {}), ...(record.command ? {command: record.command} : {}),
			registered_at: existing?.registered_at ?? now,
		};
		delete registry[record.name]!.stopping;
		return existing === undefined;
	});
}

/**
 * `register NAME`: the entry of an agent a script started, with the ids of exactly the window it
 * names (found by exact match, see findRegisteredPane). Written under the registry lock; other keys of an existing entry are kept.
 */
export async function registerScriptAgent(registryFile: string, tmux: TmuxClient, name: string, options: {window: string; type?: string}): Promise<RegistryEntry> {
	// Checked before anything is written: a bad name is refused (exit 2), a window that does not
	// exist (exit 1) too, as tmux would otherwise fall back to another pane and we would record it.
	checkAgentName(name);
	const {windowId, paneId, pid} = await findRegisteredPane(tmux, options.window);
	const now = new Date().toISOString();
	const {result} = await updateRegistry(registryFile, entries => {
		const type = options.type ?? entries[name]?.type ?? 'worker';
		entries[name] = {
			...entries[name], ...cmuxEntryFields(name, type, entries[name], entries, now), name, type, window: options.window, source: entries[name]?.source ?? 'register',
			registered_at: entries[name]?.registered_at ?? now,
			window_id: windowId, pane_id: paneId, pid,
		};
		return entries[name]!;
	});
	return result;
}
