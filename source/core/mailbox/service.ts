import type {Handlers} from '../api.js';
import {errorText} from '../errors.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {noticeRecipient, resolveRecipient, sameRecipient} from './address.js';
import {appendMessage} from './append.js';
import {attachmentsDir} from '../journal/journal.js';
import {Ingest} from './ingest.js';
import {markIngestMoving, markIngestStalled} from './ingest-health.js';
import {shortenLongSubject} from './long-subject.js';
import {PaneDriver} from './pane.js';
import {positionFileOf} from './position-file.js';
import {removeLeftoverPasteDirs} from './paste-dirs.js';
import {recoverDelivering} from './recover.js';
import {Router} from './router.js';
import {policyOf, targetProblem} from './targets.js';

/**
 * The mailbox router: follows `.cmux/mailbox` into the `messages` table (exactly once) and
 * delivers each message into its recipient's pane. Owns the `send` command.
 */
export class MailboxService implements Service {
	readonly name = 'mailbox';
	private ingest?: Ingest;
	private router?: Router;
	private driver?: PaneDriver;
	private sweep?: NodeJS.Timeout;
	readonly commands: Handlers = {
		// Appended like any writer's line, so it is ingested (and delivered) exactly once, in file order.
		send: async message => appendMessage(this.context.paths.mailboxFile, {...message, from: message.from ?? 'user'}, {lockFile: this.context.config.mailbox.lockFile, policy: policyOf(this.context.config)}),
	};

	constructor(private readonly context: ServiceContext, private readonly options: {pollMs?: number; confirmMs?: number; sweepMs?: number} = {}) {}

	async start(): Promise<void> {
		const {config, paths, store, tmux, clock, log} = this.context;
		const emit = this.context.emit;
		const {messages} = store;
		const policy = policyOf(config);
		// A stall recorded by a previous run is not this run's.
		markIngestMoving(store);
		for (const dir of removeLeftoverPasteDirs()) {
			log.log('info', `mailbox: removed ${dir}, left by a process that is gone`);
		}

		this.driver = new PaneDriver(tmux, {confirmMs: this.options.confirmMs});
		await recoverDelivering({store: messages, driver: this.driver, root: paths.root, emit});
		this.router = new Router({
			store: messages,
			driver: this.driver,
			resolve: to => resolveRecipient(to, {store, session: config.session, agents: config.agents}),
			sameRecipient: to => sameRecipient(to, config.session),
			refuse: to => targetProblem(to, policy),
			emit,
			emitAll: events => {
				this.context.emitAll(events);
			},
			clock,
			log,
			root: paths.root,
			maxAttempts: config.mailbox.maxAttempts,
			retryBase: config.mailbox.retryBase,
			retryMax: config.mailbox.retryMax,
		});
		const router = this.router;
		this.ingest = new Ingest({
			store: messages,
			file: paths.mailboxFile,
			emit: events => {
				this.context.emitAll(events);
			},
			pollMs: this.options.pollMs,
			prepare: message => shortenLongSubject(message, () => attachmentsDir(paths.journalDir, new Date(clock.now()))),
			noticeTo: sender => noticeRecipient(sender, {store, config}),
			refuse: message => targetProblem(message.to, policy),
			positionFile: positionFileOf(paths.mailboxFile),
			onPositionFileError(error) {
				log.log('warn', `mailbox: cannot save the read position beside the mailbox: ${errorText(error)}`);
			},
			onReceived(rows) {
				router.kick(new Set(rows.map(row => row.to)));
			},
			onError(error) {
				// Once per condition (the follower deduplicates); the ingest retries on every poll.
				log.log('warn', `mailbox: ${errorText(error)}`);
				markIngestStalled(store, errorText(error));
			},
			onRecover() {
				log.log('info', 'mailbox: reading again');
				markIngestMoving(store);
			},
		});
		this.ingest.start();
		router.kick();
		// A safety net for wake-ups: a recipient whose timer was lost still gets its queue looked at.
		// Ingest and the retry timers drive delivery; this only catches what they missed, so it is slow.
		this.sweep = setInterval(() => {
			router.kick();
		}, this.options.sweepMs ?? 5000);
		this.sweep.unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.sweep);
		this.ingest?.stop();
		await this.router?.stop();
		this.driver?.close();
	}
}
