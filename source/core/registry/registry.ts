import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import {errorText, StateError} from '../errors.js';
import {parseRegistry, parseRegistryTopLevel, registryEntryOf, type Registry, type RegistryEntry} from './entry.js';

/** What a read found: the entries, and where a corrupt file was moved (it is then rebuilt). */
export interface RegistryRead {
	registry: Registry;
	/** Set when the file was corrupt: the path it was moved aside to. */
	corruptMovedTo?: string;
}

/** Read the registry without the lock (writers rename atomically, so a reader never sees half a file). */
export function readRegistry(file: string): {registry: Registry; corrupt?: string} {
	const text = readRegistryText(file);
	try {
		return {registry: text.trim() === '' ? {} : parseRegistry(text, path.basename(file))};
	} catch (error) {
		return {registry: {}, corrupt: errorText(error)};
	}
}

/**
 * The registry text this process last wrote or read one entry of, with its parsed top level (deep
 * frozen: entries are validated out of it, never handed out). An agent's exit reads its entry on
 * the way to its event, and the file is then nearly always the one this process wrote after the
 * exit before: parsing a hundred agents' JSON again cost 0.5-5 ms of that path.
 */
let lastTopLevel: {file: string; text: string; value: Readonly<Record<string, unknown>>} | undefined;

function rememberTopLevel(file: string, text: string, value: Record<string, unknown>): Readonly<Record<string, unknown>> {
	lastTopLevel = {file, text, value: deepFreeze(value)};
	return lastTopLevel.value;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) {
			deepFreeze(child);
		}
	}

	return value;
}

/**
 * Read one entry of the registry without the lock, the others not validated: `corrupt` is set
 * only when the file's top level or this entry cannot be used. Text equal to the last one read or
 * written is not parsed again.
 */
export function readRegistryEntry(file: string, name: string): {entry?: RegistryEntry; corrupt?: string} {
	const text = readRegistryText(file);
	if (text.trim() === '') {
		return {};
	}

	try {
		const source = path.basename(file);
		const topLevel = lastTopLevel?.file === file && lastTopLevel.text === text ? lastTopLevel.value : rememberTopLevel(file, text, parseRegistryTopLevel(text, source));
		const entry = registryEntryOf(topLevel, name, source);
		return entry ? {entry} : {};
	} catch (error) {
		return {corrupt: errorText(error)};
	}
}

/** The registry file's text; empty when there is none. */
function readRegistryText(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return '';
		}

		throw new StateError(`cannot read ${file}: ${(error as Error).message}`, {cause: error});
	}
}

/**
 * Change the registry under its lock: read, `change` the entries in place (or return new ones),
 * write a temp file, fsync, rename over the old one, fsync the folder. Concurrent writers in any
 * number of processes each see the previous writer's result, so no update is lost. A corrupt file
 * is moved aside to `agent_registry.json.corrupt-<ts>` and the change applies to an empty registry.
 */
export async function updateRegistry<T = void>(file: string, change: (registry: Registry, read: RegistryRead) => T): Promise<{result: T} & RegistryRead> {
	fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const release = await lockfile.lock(file, {
		realpath: false,
		lockfilePath: `${file}.lock`,
		stale: 10_000,
		retries: {retries: 60, minTimeout: 1, maxTimeout: 100, factor: 1.3, randomize: true},
	});
	try {
		const read: RegistryRead = {registry: {}};
		const current = readRegistry(file);
		if (current.corrupt === undefined) {
			read.registry = current.registry;
		} else {
			read.corruptMovedTo = `${file}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`;
			fs.renameSync(file, read.corruptMovedTo);
			// The copy keeps the original's mode, which an outside writer may have left readable by others.
			fs.chmodSync(read.corruptMovedTo, 0o600);
		}

		const result = change(read.registry, read);
		const text = `${JSON.stringify(read.registry, null, 2)}\n`;
		writeAtomic(file, text);
		// Parsed here, after the write, so the next one-entry read (an exit on its way to its event) need not.
		rememberTopLevel(file, text, JSON.parse(text) as Record<string, unknown>);
		return {result, ...read};
	} finally {
		await release();
	}
}

function writeAtomic(file: string, text: string): void {
	const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const handle = fs.openSync(temporary, 'w', 0o600);
	try {
		fs.writeSync(handle, text);
		fs.fsyncSync(handle);
	} finally {
		fs.closeSync(handle);
	}

	try {
		fs.renameSync(temporary, file);
	} catch (error) {
		fs.rmSync(temporary, {force: true});
		throw error;
	}

	try {
		const directory = fs.openSync(path.dirname(file), 'r');
		fs.fsyncSync(directory);
		fs.closeSync(directory);
	} catch {
		// Some file systems cannot fsync a directory; the rename is already done, only its durability is weaker.
	}
}
