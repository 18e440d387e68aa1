import crypto from 'node:crypto';
import type {Registry, RegistryEntry} from './entry.js';

/** CMUX's well-known id of its main supervisor (src/server/services/agent_registry.py). */
export const supervisorAgentId = 'ag_0000prim';

/** How long after `POST /api/agents/NAME/archive` a closing window counts as closed on purpose. */
export const archiveGraceMs = 60_000;

/**
 * The tmux target an entry names. CMUX's Python services write a bare window name (`"window":
 * "py-1"`), meaning that window in the main session; cmux-tui writes `session:window`.
 */
export function entryTarget(window: string | undefined, session: string, name: string): string {
	if (window === undefined || window === '') {
		return `${session}:${name}`;
	}

	return window.includes(':') ? window : `${session}:${window}`;
}

/** A fresh CMUX agent id, `ag_` + 8 lower-case letters and digits, unused in `registry`. */
export function newAgentId(registry: Registry): string {
	const used = new Set(Object.values(registry).map(entry => entry.agent_id));
	for (;;) {
		const bytes = crypto.randomBytes(8);
		const id = `ag_${[...bytes].map(byte => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('')}`;
		if (!used.has(id)) {
			return id;
		}
	}
}

/**
 * The keys CMUX's readers expect on every entry (`agent_id`, `display_name`, `role`,
 * `created_at`), kept when present and filled in when not, so an id never changes once written.
 */
export function cmuxEntryFields(name: string, type: string, existing: RegistryEntry | undefined, registry: Registry, now: string): Pick<RegistryEntry, 'agent_id' | 'display_name' | 'role' | 'created_at'> {
	const idTaken = (id: string) => Object.entries(registry).some(([other, entry]) => other !== name && entry.agent_id === id);
	const agentId = typeof existing?.agent_id === 'string' && existing.agent_id !== '' ? existing.agent_id
		: name === 'supervisor' && !idTaken(supervisorAgentId) ? supervisorAgentId : newAgentId(registry);
	return {
		agent_id: agentId,
		display_name: typeof existing?.display_name === 'string' ? existing.display_name : name,
		role: typeof existing?.role === 'string' ? existing.role : type === 'supervisor' ? 'supervisor' : 'worker',
		created_at: typeof existing?.created_at === 'string' ? existing.created_at : existing?.registered_at ?? now,
	};
}

/** CMUX marks a permanent worker `permanent: true`: never removed as stale. */
export function isPermanent(entry: RegistryEntry | undefined): boolean {
	return entry?.permanent === true;
}

/** Archived through CMUX's API within the grace period: its window closing now is deliberate. */
export function archivedRecently(entry: RegistryEntry | undefined, now: number): boolean {
	const at = typeof entry?.archived_at === 'string' ? Date.parse(entry.archived_at) : Number.NaN;
	return Number.isFinite(at) && now - at >= 0 && now - at < archiveGraceMs;
}
