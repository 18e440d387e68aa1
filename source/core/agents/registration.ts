import type {RegistryEntry} from '../registry/entry.js';
import {updateRegistry} from '../registry/registry.js';
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
