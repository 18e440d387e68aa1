import {appendJournal, writeAttachment} from '../journal/journal.js';
import {appendMessage} from '../mailbox/append.js';
import {errorText} from '../errors.js';
import type {CmuxEvent} from '../events.js';
import type {ServiceContext} from '../orchestrator.js';
import {alertSample, type AlertContent, formatAttachment} from './attachment.js';
import {WebhookQueue} from './webhook.js';

/** The sender every alert carries in the mailbox. */
export const alertSender = 'system:log-watcher';

/**
 * Raises alerts, one after another in the order asked: attachment → mailbox message (body: the
 * attachment's path; `log.alert` is emitted once its line is written) → alerts row → journal line → webhook (background).
 * A failing step is logged and the following steps still run.
 */
export class Alerter {
	private chain: Promise<void> = Promise.resolve();
	readonly webhook?: WebhookQueue;

	constructor(private readonly context: ServiceContext) {
		const {webhook, webhookTimeout} = context.config.alerts;
		if (webhook) {
			this.webhook = new WebhookQueue({url: webhook, timeout: webhookTimeout, log: context.log});
		}
	}

	/** Queue an alert to `to` (an agent name); resolves when it has been raised. */
	async raise(alert: AlertContent, to: string): Promise<void> {
		const run = this.chain.then(async () => this.run(alert, to));
		// The chain only orders the runs; each failure reaches the caller of raise() through `run`.
		this.chain = run.catch(() => undefined);
		return run;
	}

	/** Wait for the alerts asked so far, then for the webhook's queue up to `grace` ms. */
	async stop(grace = 1000): Promise<void> {
		await this.chain;
		await this.webhook?.stop(grace);
	}

	private async run(alert: AlertContent, to: string): Promise<void> {
		const {paths, store, log, config} = this.context;
		const now = new Date(this.context.clock.now());
		const sample = alertSample(alert);
		const step = async <T>(what: string, action: () => T | Promise<T>): Promise<T | undefined> => {
			try {
				return await action();
			} catch (error) {
				log.log('error', `alert for ${alert.file}: ${what} failed: ${errorText(error)}`);
				return undefined;
			}
		};

		const attachment = await step('attachment', () => writeAttachment(paths.journalDir, 'log-alert', formatAttachment(alert), now)) ?? '';
		// The event goes out as soon as the message line is written (or failed), not after the lock's
		// release round trip: that round trip was half of the line → alert latency.
		let event: CmuxEvent | undefined;
		const announce = () => {
			event ??= this.context.emit({type: 'log.alert', file: alert.file, count: alert.count, sample, attachment, to});
			return event;
		};

		await step('mailbox', async () => appendMessage(paths.mailboxFile, {from: alertSender, to, subject: alert.title, body: attachment}, {lockFile: config.mailbox.lockFile, written: announce}));
		// Emitted above once the line was written; here when the append failed before that.
		const {ts} = announce();
		await step('alerts row', () => store.alerts.insert({ts, file: alert.file, count: alert.count, sample, attachment: attachment || null}));
		await step('journal', () => appendJournal(paths.journalDir, {title: alert.title, body: `Sent to ${to}. ${alert.count} matching line(s); details: ${attachment || '(no attachment)'}`}, now));
		this.webhook?.enqueue({type: 'log.alert', ts, project: paths.root, file: alert.file, count: alert.count, sample, attachment, title: alert.title});
	}
}
