import type {Handlers} from '../api.js';
import {errorText} from '../errors.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {resolveRecipient} from './address.js';
import {appendMessage} from './append.js';
import {Ingest} from './ingest.js';
import {PaneDriver} from './pane.js';
import {recoverDelivering} from './recover.js';
import {Router} from './router.js';

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
		send: async message => appendMessage(this.context.paths.mailboxFile, {...message, from: message.from ?? 'user'}),
	};

	constructor(private readonly context: ServiceContext, private readonly options: {pollMs?: number; confirmMs?: number} = {}) {}

	async start(): Promise<void> {
		const {config, paths, store, tmux, clock, log} = this.context;
		const emit = this.context.emit;
		const {messages} = store;
		this.driver = new PaneDriver(tmux, {confirmMs: this.options.confirmMs});
		await recoverDelivering({store: messages, driver: this.driver, root: paths.root, emit});
		this.router = new Router({
			store: messages,
			driver: this.driver,
			resolve: to => resolveRecipient(to, {store, session: config.session, agents: config.agents}),
			emit,
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
			emit,
			pollMs: this.options.pollMs,
			onReceived(rows) {
				router.kick(new Set(rows.map(row => row.to)));
			},
			onError(error) {
				log.log('warn', `mailbox: ${errorText(error)}`);
			},
		});
		this.ingest.start();
		router.kick();
		// A safety net for wake-ups: a recipient whose timer was lost still gets its queue looked at.
		this.sweep = setInterval(() => {
			router.kick();
		}, 1000);
		this.sweep.unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.sweep);
		this.ingest?.stop();
		await this.router?.stop();
		this.driver?.close();
	}
}
