import {z} from 'zod';
import {parseJsonText, parseValue} from '../input.js';

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
		registry[name] = normalized(name, entry);
	}

	return registry;
}

/** The file's top level alone: an object keyed by agent name, entries not looked into. */
const topLevelSchema = z.record(z.string(), z.unknown());

/** The registry file's JSON, its top level checked alone (an object keyed by agent name); throws an InputError when it is not one. */
export function parseRegistryTopLevel(text: string, source = 'agent_registry.json'): Record<string, unknown> {
	const parsed = parseJsonText(topLevelSchema, text, source);
	if (!parsed.ok) {
		throw parsed.error;
	}

	return parsed.value;
}

/**
 * The entry `name` of a registry's top level, or undefined when there is none: for a reader after
 * one agent, without validating every other entry (a hundred take a few ms). Throws an InputError
 * when that entry is invalid, as parseRegistry would.
 */
export function registryEntryOf(topLevel: Readonly<Record<string, unknown>>, name: string, source = 'agent_registry.json'): RegistryEntry | undefined {
	if (!Object.hasOwn(topLevel, name)) {
		return undefined;
	}

	// Validated as a registry of that one entry, so an error names it as parseRegistry's would.
	const one = parseValue(registrySchema, {[name]: topLevel[name]}, source);
	if (!one.ok) {
		throw one.error;
	}

	return normalized(name, one.value[name]!);
}

/** An entry as read: keys a wrong type dropped, `name` from its key. */
function normalized(name: string, entry: z.infer<typeof entrySchema>): RegistryEntry {
	const kept = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
	return {...kept, name, type: entry.type} as RegistryEntry;
}
