import fs from 'node:fs';
import type {z} from 'zod';
import {ConfigError} from '../errors.js';
import {formatPath, valueAt} from '../input.js';
import {parseDuration} from './duration.js';
import {configSchema, type Config} from './schema.js';

/** Environment variables that override the file, with the key each one sets. */
const overrides: Array<{variable: string; key: string[]; kind: 'string' | 'port' | 'duration' | 'url'}> = [
	{variable: 'CMUX_SESSION', key: ['session'], kind: 'string'},
	{variable: 'CMUX_TMUX_SOCKET', key: ['tmuxSocket'], kind: 'string'},
	{variable: 'CMUX_HEALTH_PORT', key: ['healthPort'], kind: 'port'},
	{variable: 'CMUX_PORT', key: ['server', 'port'], kind: 'port'},
	{variable: 'CMUX_MAILBOX', key: ['mailbox', 'path'], kind: 'string'},
	{variable: 'CMUX_ALERT_COOLDOWN', key: ['alerts', 'cooldown'], kind: 'duration'},
	{variable: 'CMUX_ALERT_WEBHOOK', key: ['alerts', 'webhook'], kind: 'url'},
	{variable: 'CMUX_HEARTBEAT_TIMEOUT', key: ['heartbeat', 'timeout'], kind: 'duration'},
];

/**
 * Load `.cmux/config.json` (a missing file means all defaults), apply environment overrides and
 * validate. Throws a ConfigError naming the key path, what was expected and what was found.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
	const raw = readRaw(file);
	applyOverrides(raw, env);
	return validateConfig(raw);
}

/** Validate an already parsed JSON value as a configuration. */
export function validateConfig(raw: unknown): Config {
	const result = configSchema.safeParse(raw);
	if (!result.success) {
		throw issueError(result.error.issues[0]!, raw);
	}

	const seen = new Set<string>();
	for (const [index, agent] of result.data.agents.entries()) {
		if (seen.has(agent.name)) {
			throw new ConfigError(`agents[${index}].name`, `expected a name no other agent has, got ${JSON.stringify(agent.name)}`);
		}

		seen.add(agent.name);
	}

	return result.data;
}

/** A configuration is a small JSON file; anything bigger is not one. */
export const maxConfigBytes = 1024 * 1024;

function readRaw(file: string): Record<string, unknown> {
	const text = readConfigText(file);
	if (text === undefined) {
		return {};
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new ConfigError('', `${file} is not valid JSON${jsonErrorPlace(text, error as Error)}: ${(error as Error).message}`, {cause: error});
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new ConfigError('', `${file}: expected a JSON object, got ${found(parsed)}`);
	}

	return parsed as Record<string, unknown>;
}

function applyOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
	for (const {variable, key, kind} of overrides) {
		const text = env[variable];
		if (text === undefined || text === '') {
			continue;
		}

		const value = kind === 'port' ? Number(text) : text;
		const valid = kind === 'port' ? Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535
			: kind === 'duration' ? parseDuration(text) !== undefined
				: kind === 'url' ? /^https?:\/\/\S+$/.test(text) : true;
		if (!valid) {
			const expected = {port: 'a port number 0-65535', duration: 'a duration like "5s" or "2m"', url: 'an http:// URL', string: 'a string'}[kind];
			throw new ConfigError(variable, `expected ${expected}, got ${JSON.stringify(text)}`);
		}

		// CMUX_PORT without a `server` section has nothing to configure; it must not invent one.
		if (key[0] === 'server' && (typeof raw.server !== 'object' || raw.server === null)) {
			continue;
		}

		// Inside an agent cmux-tui started (CMUX_AGENT and the cookie set), CMUX_PORT is CMUX's API
		// port, which cmux-tui points at its health port for CMUX's tools; it is not the dev server's.
		if (variable === 'CMUX_PORT' && env.CMUX_AGENT === 'true' && env.CMUX_COOKIE) {
			continue;
		}

		let target = raw;
		for (const part of key.slice(0, -1)) {
			const next = target[part];
			target = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (target[part] = {})) as Record<string, unknown>;
		}

		target[key.at(-1)!] = value;
	}
}

function issueError(issue: z.core.$ZodIssue, raw: unknown): ConfigError {
	const keyPath = formatPath(issue.path);
	if (issue.code === 'unrecognized_keys') {
		const key = issue.keys[0]!;
		const parent = formatPath(issue.path);
		return new ConfigError(parent ? `${parent}.${key}` : key, 'unknown key (not part of the configuration; check its spelling)');
	}

	return new ConfigError(keyPath || '(top level)', `expected ${issue.message}, got ${found(valueAt(raw, issue.path))}`);
}

function found(value: unknown): string {
	return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * The config file's text, or undefined when there is none. Only a regular file of at most
 * `maxConfigBytes` is read: a dangling symlink is not "no config" (that would run on defaults), a
 * FIFO would block forever and a device like /dev/zero never ends. The file is opened without
 * blocking and checked on the open descriptor, so what is checked is what is read.
 */
function readConfigText(file: string): string | undefined {
	let fd: number;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !isSymlink(file)) {
			return undefined;
		}

		const why = code === 'ENOENT' ? 'it is a symbolic link to nothing (dangling)' : (error as Error).message;
		throw new ConfigError('', `cannot read the config ${file}: ${why}`, {cause: error});
	}

	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) {
			throw new ConfigError('', `the config ${file} is not a regular file (${kindOf(stat)})`);
		}

		if (stat.size > maxConfigBytes) {
			throw new ConfigError('', `the config ${file} is ${stat.size} bytes; a config is at most ${maxConfigBytes}`);
		}

		return fs.readFileSync(fd, 'utf8');
	} catch (error) {
		if (error instanceof ConfigError) {
			throw error;
		}

		throw new ConfigError('', `cannot read the config ${file}: ${(error as Error).message}`, {cause: error});
	} finally {
		fs.closeSync(fd);
	}
}

function isSymlink(file: string): boolean {
	try {
		return fs.lstatSync(file).isSymbolicLink();
	} catch {
		return false;
	}
}

function kindOf(stat: fs.Stats): string {
	return stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() ? 'a character device'
		: stat.isBlockDevice() ? 'a block device' : stat.isSocket() ? 'a socket' : 'not a file';
}

/**
 * ` at line L, column C` (1-based) of a JSON.parse error. Node 20 says only "at position N"; newer versions
 * say "(line L column C)". Empty when neither is there (e.g. unexpected end of input: then the end).
 */
export function jsonErrorPlace(text: string, error: Error): string {
	const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
	if (lineColumn) {
		return ` at line ${lineColumn[1]}, column ${lineColumn[2]}`;
	}

	const position = /at position (\d+)/.exec(error.message);
	const offset = position ? Number(position[1]) : /end of JSON input/.test(error.message) ? text.length : undefined;
	if (offset === undefined) {
		return '';
	}

	const before = text.slice(0, offset).split('\n');
	return ` at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
