import {errorText} from '../errors.js';
import type {Alerter} from '../alerts/alerter.js';
import {type AlertBatch, CooldownWindow} from '../alerts/cooldown.js';
import type {ServiceContext} from '../orchestrator.js';
import {FileFollower} from '../files/follower.js';
import {ReadBuffer} from '../files/read-buffer.js';
import {LogMatcher} from './matcher.js';
import {chunkTexts, LiteralSearch, requiredLiterals} from './prefilter.js';
import type {LogTarget} from './targets.js';

/**
 * How long a match waits at the end of the data for continuation lines written a moment later.
 * Loggers write a record with its stack in one go, so this only bridges a writer's split writes;
 * it is also the floor of the line → alert latency.
 */
const groupWait = 8;

/**
 * One log file: follower → matcher → cooldown window → alerter, with its position persisted.
 * Crash safety: every change of the window (matches counted, a batch reported, the window closed)
 * is stored in `alert_windows` in the same SQLite transaction as the read position, and every
 * reported batch is first stored in `alert_outbox` in that transaction and removed only once the
 * alerter has written it. A restart replays the outbox and restores the window (at-least-once).
 */
export class FileWatch {
	private readonly matcher: LogMatcher;
	/** Literals every match contains, searched in the raw bytes first (none when a pattern has no literal). */
	private readonly search?: LiteralSearch;
	private readonly window: CooldownWindow;
	private readonly source: string;
	private follower?: FileFollower;
	private groupTimer?: NodeJS.Timeout;
	private lastError?: string;
	private saved?: string;
	/** Batches reported inside the current `atomically` call. */
	private collecting?: AlertBatch[];
	/** The window changed since it was last stored. */
	private windowDirty = false;
	/** The last stored row holds an open group. */
	private groupStored = false;
	private readonly inflight = new Set<Promise<void>>();

	constructor(private readonly target: LogTarget, private readonly context: ServiceContext, private readonly alerter: Alerter) {
		this.matcher = new LogMatcher(target.patterns, target.ignore);
		const literals = requiredLiterals(target.patterns);
		this.search = literals && new LiteralSearch(literals);
		this.window = new CooldownWindow(context.clock, target.cooldown, batch => {
			this.atomically(() => {
				this.collecting!.push(batch);
			});
		}, 20, () => {
			this.atomically(() => {
				this.windowDirty = true;
			});
		});
		this.source = `log:${target.name}`;
	}

	async start(): Promise<void> {
		const {store} = this.context;
		// Alerts handed over before a crash but not confirmed written: raise them again.
		for (const entry of store.alertWindows.outbox(this.source)) {
			this.send(entry.id, entry.batch);
		}

		const stored = store.alertWindows.load(this.source);
		if (stored) {
			this.atomically(() => {
				this.windowDirty = true;
				// A group still open at the crash was matched in that window: it is counted there,
				// before a window that ended meanwhile reports (not in the next window).
				this.window.restore(stored.state, stored.openGroup ? [stored.openGroup] : []);
			});
		}

		// Big reads: a read's cost (a transaction storing the position) is paid per chunk; 1 MB and
		// 16 MB measured slower than 4 MB (more transactions; a chunk that no longer stays in cache
		// while it is searched once per literal). The prefilter searches the bytes where they were read.
		const reader = new ReadBuffer(4 * 1024 * 1024);
		this.follower = new FileFollower({
			file: this.target.file,
			resume: store.offsets.load(this.source),
			buffer: reader,
			// Alerts carry the matched lines, never their numbers.
			countLines: false,
			onChunk: ({data, position, cut}) => {
				if (data.length === 0) {
					return;
				}

				clearTimeout(this.groupTimer);
				this.atomically(() => {
					for (const text of chunkTexts(data, cut !== undefined, this.search, this.matcher.pending, reader)) {
						for (const match of this.matcher.scan(text)) {
							this.add(match.lines);
						}
					}

					store.offsets.save(this.source, position);
				});
				this.saved = `${position.dev}:${position.ino}:${position.offset}`;
			},
			onIdle: () => {
				this.savePosition();
				if (this.matcher.pending) {
					clearTimeout(this.groupTimer);
					this.groupTimer = setTimeout(() => {
						this.atomically(() => {
							this.flushGroup();
						});
					}, groupWait);
				}
			},
			onError: error => {
				const text = errorText(error);
				if (text !== this.lastError) {
					this.lastError = text;
					this.context.log.log('warn', `watching ${this.target.name}: ${text}`);
				}
			},
		});
		this.follower.start();
		// First start: remember "the end as it was", so lines written before the next start count.
		this.savePosition();
	}

	/** Persist the position when it moved without lines (a first start, a new empty file). */
	private savePosition(): void {
		const position = this.follower?.position();
		const key = position && `${position.dev}:${position.ino}:${position.offset}`;
		if (position && key !== this.saved) {
			this.context.store.offsets.save(this.source, position);
			this.saved = key;
		}
	}

	/** Stop following; what is pending (an open traceback, a window's count) is reported now. */
	async stop(): Promise<void> {
		this.follower?.stop();
		clearTimeout(this.groupTimer);
		this.atomically(() => {
			this.windowDirty = true;
			this.flushGroup();
			this.window.flush();
		});
		await Promise.all(this.inflight);
	}

	private flushGroup(): void {
		for (const match of this.matcher.flush()) {
			this.add(match.lines);
		}
	}

	private add(lines: string[]): void {
		this.windowDirty = true;
		this.window.add(lines);
	}

	/**
	 * Run `action` (which may read, count and report) in one transaction that also stores the
	 * window and the reported batches; the batches go to the alerter only after it committed.
	 */
	private atomically(action: () => void): void {
		if (this.collecting) {
			action();
			return;
		}

		const {store} = this.context;
		const batches: AlertBatch[] = [];
		this.collecting = batches;
		let sent: Array<{id: number; batch: AlertBatch}>;
		try {
			sent = store.transaction(() => {
				action();
				const openGroup = this.matcher.openGroup;
				if (this.windowDirty || batches.length > 0 || openGroup || this.groupStored) {
					store.alertWindows.save(this.source, {state: this.window.state(), ...(openGroup ? {openGroup} : {})});
					this.groupStored = openGroup !== undefined;
				}

				return batches.map(batch => ({id: store.alertWindows.addOutbox(this.source, batch), batch}));
			});
			this.windowDirty = false;
		} finally {
			this.collecting = undefined;
		}

		for (const {id, batch} of sent) {
			this.send(id, batch);
		}
	}

	/** Raise the alert of outbox entry `id`; remove the entry once the alerter has written it. */
	private send(id: number, batch: AlertBatch): void {
		const done = this.report(batch)
			.then(() => {
				this.context.store.alertWindows.removeOutbox(id);
			})
			.catch((error: unknown) => {
				this.context.log.log('error', `alert for ${this.target.name}: ${errorText(error)}`);
			})
			.finally(() => {
				this.inflight.delete(done);
			});
		this.inflight.add(done);
	}

	private async report(batch: AlertBatch): Promise<void> {
		const {name} = this.target;
		const title = `log alert: ${batch.count} match${batch.count === 1 ? '' : 'es'} in ${name}`;
		return this.alerter.raise({file: name, count: batch.count, matches: batch.matches, firstAt: batch.firstAt, lastAt: batch.lastAt, title}, this.target.to);
	}
}
