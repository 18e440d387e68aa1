import fs from 'node:fs';
import path from 'node:path';
import type {EventInput} from '../events.js';
import {FileFollower} from '../files/follower.js';
import {asLines, type RawLine} from '../files/lines.js';
import {findByIdentity, type FilePosition} from '../files/segments.js';
import type {IngestItem, IngestOutcome, MessageRow, MessageTable} from '../store/messages.js';
import {parseLine, type ParsedMessage} from './parse.js';
import {lineSender, rejectionNotice} from './rejection.js';
import {PositionFileWriter, readPositionFile} from './position-file.js';

export interface IngestOptions {
	store: MessageTable;
	file: string;
	/** The events of one committed batch, in file order (stored together). */
	emit: (events: EventInput[]) => void;
	/** Called after each committed batch with the new messages, in file order. */
	onReceived?: (rows: MessageRow[]) => void;
	onError?: (error: unknown) => void;
	onRecover?: () => void;
	maxLineBytes?: number;
	pollMs?: number;
	/** Applied to each message before it is stored (long subjects move to an attachment). */
	prepare?: (message: ParsedMessage) => ParsedMessage;
	/** Who is told about a rejected line, given the sender it names; undefined: nobody. */
	noticeTo?: (sender: string | undefined) => string | undefined;
	/** Where the read position is also kept (beside the mailbox), so a lost store does not mean reading it all again. */
	positionFile?: string;
	onPositionFileError?: (error: unknown) => void;
	/** Why a well-formed message is still refused (e.g. a recipient outside the managed session), if it is. */
	refuse?: (message: ParsedMessage) => string | undefined;
}

/**
 * Mailbox file → `messages` table, exactly once: each batch of complete lines is stored in the
 * same transaction that moves the read position past them; events follow the commit.
 */
export class Ingest {
	private follower?: FileFollower;
	private position?: PositionFileWriter;

	constructor(private readonly options: IngestOptions) {}

	/** Read what the mailbox holds past the stored position (all of it on a first start), then follow it. */
	start(): void {
		const {file, store} = this.options;
		const maxLineBytes = this.options.maxLineBytes ?? 1024 * 1024;
		fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		const {positionFile, onPositionFileError} = this.options;
		this.position = positionFile === undefined ? undefined : new PositionFileWriter(positionFile, error => onPositionFileError?.(error));
		this.follower = new FileFollower({
			file,
			resume: store.position(file) ?? (this.options.positionFile === undefined ? undefined : readPositionFile(this.options.positionFile)),
			from: 'start',
			chunkSize: Math.max(256 * 1024, maxLineBytes + 1),
			pollInterval: this.options.pollMs ?? 200,
			findMoved: identity => findByIdentity(archiveFolders(file), identity),
			onChunk: asLines((lines, after) => {
				this.handle(lines, after);
			}, maxLineBytes),
			onError: this.options.onError,
			onRecover: this.options.onRecover,
		});
		this.follower.start();
	}

	/** Read whatever is new now (the watcher does this by itself; tests and benchmarks call it to skip the wait). */
	check(): void {
		this.follower?.check();
	}

	stop(): void {
		this.follower?.stop();
		this.follower = undefined;
		this.position?.flush();
	}

	private handle(lines: RawLine[], after: FilePosition): void {
		const items = lines.map(line => this.toItem(line)).filter((item): item is IngestItem => item !== undefined);
		const outcomes = this.options.store.ingest(this.options.file, items, after);
		this.position?.save(after);
		const received: MessageRow[] = [];
		const events: EventInput[] = [];
		for (const outcome of outcomes) {
			events.push(...report(outcome));
			if (outcome.kind === 'received') {
				received.push(outcome.row);
			} else if (outcome.kind === 'rejected' && outcome.notice) {
				received.push(outcome.notice);
			}
		}

		if (events.length > 0) {
			this.options.emit(events);
		}

		if (received.length > 0) {
			this.options.onReceived?.(received);
		}
	}

	private toItem(raw: RawLine): IngestItem | undefined {
		const item = toItem(raw, this.options.refuse);
		if (item?.kind === 'message' && this.options.prepare) {
			return {...item, message: this.options.prepare(item.message)};
		}

		if (item?.kind === 'rejected' && this.options.noticeTo) {
			const to = this.options.noticeTo(lineSender(raw.text));
			if (to !== undefined) {
				return {...item, notice: rejectionNotice({line: item.line, reason: item.reason, ...(raw.text === undefined ? {} : {text: raw.text}), place: `${raw.ino}-${raw.offset}`, to, now: new Date().toISOString()})};
			}
		}

		return item;
	}
}

/** CMUX moves a full mailbox into `mailbox-archive/` next to it (one level of subfolders too). */
function archiveFolders(file: string): string[] {
	const dir = path.dirname(file);
	const archive = path.join(dir, 'mailbox-archive');
	let sub: string[] = [];
	try {
		sub = fs.readdirSync(archive, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => path.join(archive, entry.name));
	} catch {
		// No archive folder (the usual case): only the mailbox's own folder is searched.
	}

	return [dir, archive, ...sub];
}

function toItem(raw: RawLine, refuse?: (message: ParsedMessage) => string | undefined): IngestItem | undefined {
	if (raw.text === undefined) {
		return {kind: 'rejected', line: raw.line, reason: raw.problem ?? 'unreadable line'};
	}

	const parsed = parseLine(raw.text, {ino: raw.ino, offset: raw.offset});
	switch (parsed.kind) {
		case 'blank': {
			return undefined;
		}

		case 'rejected': {
			return {kind: 'rejected', line: raw.line, reason: parsed.reason, text: raw.text.slice(0, 200)};
		}

		case 'status': {
			return {kind: 'status', id: parsed.id, status: parsed.status, line: raw.line};
		}

		case 'message': {
			const reason = refuse?.(parsed.message);
			return reason === undefined ? {kind: 'message', message: parsed.message, line: raw.line} : {kind: 'rejected', line: raw.line, reason, text: raw.text.slice(0, 200)};
		}
	}
}

/** The events an ingest outcome announces. */
function report(outcome: IngestOutcome): EventInput[] {
	if (outcome.kind === 'received') {
		const {row} = outcome;
		return [{type: 'message.received', id: row.id, from: row.from, to: row.to, subject: row.subject, line: row.sourceLine}];
	}

	if (outcome.kind === 'rejected') {
		const {notice} = outcome;
		return [
			{type: 'message.rejected', line: outcome.line, reason: outcome.reason, ...(outcome.text === undefined ? {} : {text: outcome.text}), ...(notice ? {notified: notice.to} : {})},
			...(notice ? [{type: 'message.received', id: notice.id, from: notice.from, to: notice.to, subject: notice.subject, notice: true} as const] : []),
		];
	}

	if (outcome.kind === 'status') {
		const {row} = outcome;
		return [{type: 'message.status', id: row.id, from: row.from, to: row.to, status: row.taskStatus, previous: outcome.previous}];
	}

	return [];
}
