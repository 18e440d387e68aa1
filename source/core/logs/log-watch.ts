import {Alerter} from '../alerts/alerter.js';
import {warmFlock} from '../mailbox/flock.js';
import {DiscrepancyAlerts} from '../alerts/discrepancies.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {FileWatch} from './file-watch.js';
import {logTargets} from './targets.js';

/**
 * The log watcher: follows every configured log (and the managed server's) and raises
 * rate-limited alerts; also alerts on agents that vanished from tmux.
 */
export class LogWatch implements Service {
	readonly name = 'logs';
	private readonly alerter: Alerter;
	private readonly files: FileWatch[];
	private readonly discrepancies: DiscrepancyAlerts;

	constructor(private readonly context: ServiceContext) {
		this.alerter = new Alerter(context);
		this.files = logTargets(context.config, context.paths.root).map(target => new FileWatch(target, context, this.alerter));
		this.discrepancies = new DiscrepancyAlerts(context, this.alerter);
	}

	async start(): Promise<void> {
		// The files first: on a first start each begins at its end as it is now, so a line written
		// while a helper process starts below would be skipped.
		for (const file of this.files) {
			await file.start();
		}

		this.discrepancies.start();
		// An alert's mailbox line takes CMUX's flock through a helper process: have it running already.
		await warmFlock(this.context.config.mailbox.lockFile);
		this.context.log.log('info', `watching ${this.files.length} log file(s)`);
	}

	async stop(): Promise<void> {
		this.discrepancies.stop();
		await Promise.all(this.files.map(async file => file.stop()));
		await this.alerter.stop();
	}
}
