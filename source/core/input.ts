import fs from 'node:fs';
import type {z} from 'zod';
import {errorText, InputError} from './errors.js';

/**
 * The one way to read input from outside (files on disk, stored JSON, request bodies): a zod
 * schema, and on failure an InputError that names where the input came from and the field:
 * `.cmux/server.json: pid: expected number, got "12"`.
 */
export type ParseResult<T> = {ok: true; value: T} | {ok: false; error: InputError};

/** Validate an already decoded value. */
export function parseValue<T>(schema: z.ZodType<T>, value: unknown, source: string): ParseResult<T> {
	const result = schema.safeParse(value);
	if (result.success) {
		return {ok: true, value: result.data};
	}

	const issue = result.error.issues[0]!;
	const found = describe(valueAt(value, issue.path));
	const message = issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${found}`
		: issue.code === 'unrecognized_keys' ? `unknown key ${JSON.stringify(issue.keys[0])}`
			: `${issue.message}, got ${found}`;
	return {ok: false, error: new InputError(source, formatPath(issue.path), message, {cause: result.error})};
}

/** Decode JSON text and validate it. */
export function parseJsonText<T>(schema: z.ZodType<T>, text: string, source: string): ParseResult<T> {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return {ok: false, error: new InputError(source, '', `not valid JSON: ${errorText(error)}`, {cause: error})};
	}

	return parseValue(schema, value, source);
}

/**
 * Read a JSON record file: undefined when the file does not exist, the typed value when it is
 * valid, and an InputError result when it exists but cannot be read or used.
 */
export function readJsonFile<T>(schema: z.ZodType<T>, file: string): ParseResult<T> | undefined {
	let text: string | undefined;
	try {
		text = readTextIfExists(file);
	} catch (error) {
		return {ok: false, error: error as InputError};
	}

	return text === undefined ? undefined : parseJsonText(schema, text, file);
}

/** A file's text, or undefined when it does not exist; an InputError when it exists but cannot be read. */
export function readTextIfExists(file: string): string | undefined {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw new InputError(file, '', `cannot read: ${errorText(error)}`, {cause: error});
	}
}

/** `agents[1].command` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path.map((part, index) => typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`).join('');
}

/** The value at zod's `path` inside `raw` (undefined where the path leads nowhere). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
	let value = raw;
	for (const part of path) {
		value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[part] : undefined;
	}

	return value;
}

function describe(value: unknown): string {
	if (value === undefined) {
		return 'nothing';
	}

	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
