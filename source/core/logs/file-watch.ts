import {errorText} from '../errors.js';
import type {Alerter} from '../alerts/alerter.js';
import {type AlertBatch, CooldownWindow} from '../alerts/cooldown.js';
import type {ServiceContext} from '../orchestrator.js';
import {FileFollower} from '../files/follower.js';
import {asText} from '../files/lines.js';
import {loadOffset, saveOffset} from '../files/offsets.js';
import {LogMatcher} from './matcher.js';
import type {LogTarget} from './targets.js';

/** How long a match waits at the end of the data for continuation lines written a moment later. */
const groupWait = 30;

/** One log file: follower → matcher → cooldown window → alerter, with its position persisted. */
export class FileWatch {
	private readonly matcher: LogMatcher;
	private readonly window: CooldownWindow;
	private readonly source: string;
	private follower?: FileFollower;
	private groupTimer?: NodeJS.Timeout;
	private lastError?: string;
	private saved?: string;

	constructor(private readonly target: LogTarget, private readonly context: ServiceContext, private readonly alerter: Alerter) {
		this.matcher = new LogMatcher(target.patterns, target.ignore);
		this.window = new CooldownWindow(context.clock, target.cooldown, batch => {
			this.report(batch);
		});
		this.source = `log:${target.name}`;
	}

	async start(): Promise<void> {
		const {db} = this.context.store;
		this.follower = new FileFollower({
			file: this.target.file,
			resume: loadOffset(db, this.source),
			onChunk: asText((text, position) => {
				clearTimeout(this.groupTimer);
				for (const match of this.matcher.scan(text)) {
					this.window.add(match.lines);
				}

				saveOffset(db, this.source, position);
				this.saved = `${position.dev}:${position.ino}:${position.offset}`;
			}),
			onIdle: () => {
				this.savePosition();
				if (this.matcher.pending) {
					clearTimeout(this.groupTimer);
					this.groupTimer = setTimeout(() => {
						this.flushGroup();
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
			saveOffset(this.context.store.db, this.source, position);
			this.saved = key;
		}
	}

	/** Stop following; what is pending (an open traceback, a window's count) is reported now. */
	async stop(): Promise<void> {
		this.follower?.stop();
		clearTimeout(this.groupTimer);
		this.flushGroup();
		this.window.flush();
	}

	private flushGroup(): void {
		for (const match of this.matcher.flush()) {
			this.window.add(match.lines);
		}
	}

	private report(batch: AlertBatch): void {
		const {name} = this.target;
		const title = `log alert: ${batch.count} match${batch.count === 1 ? '' : 'es'} in ${name}`;
		void this.alerter.raise({file: name, count: batch.count, matches: batch.matches, firstAt: batch.firstAt, lastAt: batch.lastAt, title}, this.target.to);
	}
}
