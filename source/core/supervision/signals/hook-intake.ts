import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {FileFollower} from '../../files/follower.js';
import {asLines, type RawLine} from '../../files/lines.js';
import type {FilePosition} from '../../files/segments.js';
import type {Store} from '../../store/store.js';
import {rotateSpool, spoolFile, spoolRotateBytes} from './spool.js';

/** The spool line as the orchestrator accepts it (written by hook-main.ts, parsed again here: it is a file anyone can write). */
const spoolLineSchema = z.object({
	v: z.literal(1),
	agent: z.string().regex(/^[\w.-]+$/),
	kind: z.string(),
	ts: z.number().finite(),
	id: z.string().max(100).optional(),
	payload: z.record(z.string(), z.unknown()),
});

export type HookRecord = z.output<typeof spoolLineSchema> & {line: number};

/** How many line ids the intake remembers to drop a copy written around a rotation. */
const recentIds = 4096;

/** The read position of the spool in `ingest_offsets`. */
export const spoolSource = 'hooks-spool';

export interface HookIntakeOptions {
	root: string;
	store: Store;
	/**
	 * Apply a batch of hook records. Called inside the transaction that moves the read position past
	 * them, so a crash takes each one in exactly once.
	 */
	apply(records: HookRecord[]): void;
	/** Called after the transaction committed (emit events here). */
	committed(): void;
	rejected(line: number, reason: string): void;
	onError(error: unknown): void;
	/** Rotate the spool past this size, once it is read to its end (default 1 MiB). */
	rotateBytes?: number;
}

/** Follows `.cmux/hooks/spool` from the stored position (from its start on a first run). */
export class HookIntake {
	private follower?: FileFollower;
	/** Ids of the lines taken in lately, oldest first: a line a hook wrote again after a rotation is dropped. */
	private readonly recent = new Set<string>();

	constructor(private readonly options: HookIntakeOptions) {}

	start(): void {
		const file = spoolFile(this.options.root);
		fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		this.follower = new FileFollower({
			file,
			resume: this.options.store.offsets.load(spoolSource),
			from: 'start',
			chunkSize: 512 * 1024,
			pollInterval: 250,
			onChunk: asLines((lines, after) => {
				this.handle(lines, after);
			}, 256 * 1024),
			onError: this.options.onError,
		});
		this.follower.start();
	}

	/** Read what is new now (the watcher does this by itself). */
	check(): void {
		this.follower?.check();
	}

	stop(): void {
		this.follower?.stop();
		this.follower = undefined;
	}

	private handle(lines: RawLine[], after: FilePosition): void {
		const records: HookRecord[] = [];
		const rejected: Array<{line: number; reason: string}> = [];
		for (const raw of lines) {
			const parsed = raw.text === undefined ? undefined : parseLine(raw.text);
			if (parsed?.success) {
				if (!this.firstTime(parsed.data.id)) {
					continue;
				}

				records.push({...parsed.data, line: raw.line});
			} else if (raw.text?.trim() !== '') {
				rejected.push({line: raw.line, reason: raw.problem ?? parsed?.reason ?? 'unreadable line'});
			}
		}

		const {store} = this.options;
		store.supervision.transaction(() => {
			this.options.apply(records);
			store.offsets.save(spoolSource, after);
		});
		for (const {line, reason} of rejected) {
			this.options.rejected(line, reason);
		}

		this.options.committed();
		this.rotate(after);
	}

	/** False for an id seen in the last `recentIds` lines. */
	private firstTime(id: string | undefined): boolean {
		if (id === undefined) {
			return true;
		}

		if (this.recent.has(id)) {
			return false;
		}

		this.recent.add(id);
		if (this.recent.size > recentIds) {
			this.recent.delete(this.recent.values().next().value!);
		}

		return true;
	}

	/** A spool read to its end and past its size limit is renamed; the follower goes on with the new one. */
	private rotate(after: FilePosition): void {
		try {
			rotateSpool(this.options.root, after, this.options.rotateBytes ?? spoolRotateBytes);
		} catch (error) {
			// Kept as it is and tried again after the next batch: nothing is lost, it only stays large.
			this.options.onError(error);
		}
	}
}

function parseLine(text: string): {success: true; data: z.output<typeof spoolLineSchema>} | {success: false; reason: string} {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return {success: false, reason: 'not JSON'};
	}

	const result = spoolLineSchema.safeParse(value);
	if (result.success) {
		return {success: true, data: result.data};
	}

	const issue = result.error.issues[0];
	return {success: false, reason: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`};
}
