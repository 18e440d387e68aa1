import {z} from 'zod';
import {parseJsonText} from '../input.js';

/**
 * One agent in `.cmux/agent_registry.json`. The file is CMUX's format: an object keyed by agent
 * name. Only the keys below are read; any other key an entry carries (written by CMUX scripts or
 * a newer cmux-tui) is kept as it is on every rewrite.
 */
export interface RegistryEntry {
	name: string;
	type: string;
	/** tmux target of the agent's window, `session:name`. */
	window?: string;
	/** tmux ids, for matching after a rename. */
	window_id?: string;
	pane_id?: string;
	/** Pane process id. */
	pid?: number;
	/** The CMUX_COOKIE value every process of this agent carries. */
	cookie?: string;
	command?: string;
	/** `config` (from .cmux/config.json), `spawn` (agents spawn), `register` (a script). */
	source?: string;
	registered_at?: string;
	started_at?: string;
	/** CMUX's keys, written on every entry cmux-tui writes (see cmux-entry.ts). */
	agent_id?: string;
	display_name?: string;
	role?: string;
	created_at?: string;
	[key: string]: unknown;
}

export type Registry = Record<string, RegistryEntry>;

/** A known key of the wrong type cannot be used: it is dropped rather than mis-read. */
const optionalString = z.string().optional().catch(undefined);

const entrySchema = z.looseObject({
	type: z.string().catch('worker').default('worker'),
	window: optionalString,
	window_id: optionalString,
	pane_id: optionalString,
	pid: z.number().int().optional().catch(undefined),
	cookie: optionalString,
	command: optionalString,
	source: optionalString,
	registered_at: optionalString,
	started_at: optionalString,
});

/** The file: an object of objects keyed by agent name (anything else is corrupt). */
const registrySchema = z.record(z.string(), entrySchema);

/** Parse the registry file's JSON. Throws an InputError naming the bad field (the caller treats the file as corrupt). */
export function parseRegistry(text: string, source = 'agent_registry.json'): Registry {
	const parsed = parseJsonText(registrySchema, text, source);
	if (!parsed.ok) {
		throw parsed.error;
	}

	const registry: Registry = {};
	for (const [name, entry] of Object.entries(parsed.value)) {
		const kept = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
		registry[name] = {...kept, name, type: entry.type} as RegistryEntry;
	}

	return registry;
}
