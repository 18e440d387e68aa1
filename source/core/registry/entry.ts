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

const stringKeys = ['window', 'window_id', 'pane_id', 'cookie', 'command', 'source', 'registered_at', 'started_at'];

/** Parse the registry file's JSON. Throws when it is not an object of objects (the caller treats it as corrupt). */
export function parseRegistry(text: string): Registry {
	const value = JSON.parse(text) as unknown;
	if (!isObject(value)) {
		throw new Error('the registry is not a JSON object');
	}

	const registry: Registry = {};
	for (const [name, raw] of Object.entries(value)) {
		if (!isObject(raw)) {
			throw new Error(`entry ${JSON.stringify(name)} is not an object`);
		}

		const entry: Record<string, unknown> = {...raw, name, type: typeof raw.type === 'string' ? raw.type : 'worker'};
		// A known key of the wrong type cannot be used; drop it rather than mis-read it.
		for (const key of stringKeys) {
			if (key in entry && typeof entry[key] !== 'string') {
				delete entry[key];
			}
		}

		if ('pid' in entry && !Number.isInteger(entry.pid)) {
			delete entry.pid;
		}

		registry[name] = entry as RegistryEntry;
	}

	return registry;
}


function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
