import fs from 'node:fs';
import type {Handlers} from '../api.js';
import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {cookieVariable} from '../process/cookie.js';
import {environmentValue} from '../process/table.js';
import {readRegistry} from '../registry/registry.js';
import type {TmuxEventSource} from '../tmux/client.js';
import type {TmuxNotification} from '../tmux/control-parser.js';
import {CloseFastPath} from './close-fast-path.js';
import {agentCommands} from './commands.js';
import {ExitWatch} from './exit-watch.js';
import {AgentLifecycle} from './lifecycle.js';
import {activitySubscription, closingNotifications, deadSubscription, noteActivity, structuralNotifications} from './notifications.js';
import {sweepOrphans} from './orphans.js';
import {recordFromConfig, type AgentRecord} from './record.js';
import {reconcileAgents} from './reconcile.js';
import {defaultRestartOptions, type RestartOptions} from './restart-policy.js';
import {ensureSession, listPanes} from './windows.js';

export interface AgentsServiceOptions {
	restart?: Partial<RestartOptions>;
	/** Safety-net reconciliation interval (ms); notifications drive everything else. */
	sweepInterval?: number;
	/** Poll interval when the tmux client has no notifications (the exec client). */
	pollInterval?: number;
}

/**
 * Keeps the agents that exist in tmux, the registry and the agents table in agreement, driven by
 * tmux control-mode notifications: starts configured agents, adopts windows from an earlier run,
 * removes stale entries, kills zombies, applies the restart policy.
 */
export class AgentsService implements Service {
	readonly name = 'agents';
	readonly records = new Map<string, AgentRecord>();
	readonly lifecycle: AgentLifecycle;
	readonly commands: Handlers;
	private active = false;
	private stopped = false;
	private running?: Promise<void>;
	private again = false;
	private initialPending = true;
	/** Commands running (see `exclusive`); a reconciliation asked for meanwhile waits for them. */
	private holds = 0;
	private deferred = false;
	private timers: NodeJS.Timeout[] = [];
	private watcher?: fs.FSWatcher;
	private readonly events?: TmuxEventSource;
	private unsubscribe: Array<() => void> = [];
	private readonly fastPath: CloseFastPath;
	private readonly exits: ExitWatch;
	private readonly onNotification = (notification: TmuxNotification) => {
		if (closingNotifications.has(notification.name) && notification.args[0]?.startsWith('@')) {
			this.fastPath.windowClosed(notification.args[0]);
		} else if (structuralNotifications.has(notification.name) || (notification.name === 'subscription-changed' && notification.args[0] === deadSubscription)) {
			this.schedule();
		} else if (notification.name === 'subscription-changed' && notification.args[0] === activitySubscription) {
			noteActivity(this.context, this.records.values(), notification);
		}
	};

	private readonly onConnected = () => {
		// Perhaps a new server, whose window ids start over.
		this.fastPath.handledWindows.clear();
		this.initialPending = true;
		this.schedule();
	};

	constructor(private readonly context: ServiceContext, private readonly options: AgentsServiceOptions = {}) {
		const restart = {...defaultRestartOptions, ...options.restart};
		this.lifecycle = new AgentLifecycle(context, restart, {
			changed: () => {
				this.schedule();
			},
			forget: name => {
				this.records.delete(name);
			},
		});
		this.fastPath = new CloseFastPath({
			context, records: this.records, lifecycle: this.lifecycle,
			accepting: () => this.active && !this.stopped,
			stopped: () => this.stopped,
			schedule: () => {
				this.schedule();
			},
		});
		this.exits = new ExitWatch({
			context, records: this.records, lifecycle: this.lifecycle,
			accepting: () => this.active && !this.stopped,
		});
		this.events = context.tmux.events;
		this.commands = agentCommands(context, this);
	}

	async start(): Promise<void> {
		for (const agent of this.context.config.agents) {
			this.records.set(agent.name, recordFromConfig(agent));
		}

		// The registry is watched even when idle, so `register` from a script wakes the service.
		try {
			this.watcher = fs.watch(this.context.paths.stateDir, (_event, file) => {
				if (file === 'agent_registry.json') {
					this.activate().then(() => this.schedule(), (error: unknown) => {
						// Without tmux (or with its server down) there is nothing to do yet; the next change retries.
						this.context.log.log('warn', `agents: cannot activate: ${errorText(error)}`);
					});
				}
			});
		} catch (error) {
			// Registrations from scripts are then picked up by the periodic reconciliation only.
			this.context.log.log('warn', `agents: cannot watch ${this.context.paths.stateDir}: ${errorText(error)}`);
		}

		// With no agent configured and none registered, tmux is not touched at all.
		if (this.records.size > 0 || Object.keys(readRegistry(this.context.paths.registryFile).registry).length > 0) {
			await this.activate();
			await this.running;
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.lifecycle.stopped = true;
		this.watcher?.close();
		this.exits.close();
		if (this.fastPath.timer) {
			clearImmediate(this.fastPath.timer);
		}

		for (const timer of this.timers) {
			clearInterval(timer);
		}

		for (const record of this.records.values()) {
			this.context.clock.clearTimeout(record.restartTimer);
		}

		for (const unsubscribe of this.unsubscribe.splice(0)) {
			unsubscribe();
		}

		// Both loops catch and log their own failures; these awaits only wait for them to end.
		await this.running?.catch(() => {});
		await this.fastPath.finishing?.catch(() => {});
	}

	/** Connect, sweep orphans of a crashed run, and reconcile for the first time. */
	async activate(): Promise<void> {
		if (this.active || this.stopped) {
			return;
		}

		this.active = true;
		const {tmux, config, paths} = this.context;
		try {
			await ensureSession(tmux, config.session, paths.root);
		} catch (error) {
			// Not active after all: a later registry change or start may try again.
			this.active = false;
			throw error;
		}

		if (this.events) {
			this.unsubscribe.push(this.events.onNotification(this.onNotification), this.events.onConnected(this.onConnected));
			await this.events.subscribe({name: deadSubscription, target: '%*', format: '#{pane_dead}:#{pane_dead_status}'});
			await this.events.subscribe({name: activitySubscription, target: '%*', format: '#{window_activity}'});
		}

		this.exits.start();

		const panes = await listPanes(tmux);
		const live = new Set(panes.filter(pane => pane.session === config.session && this.records.has(pane.windowName) && !pane.dead)
			.map(pane => environmentValue(pane.pid, cookieVariable)).filter((cookie): cookie is string => cookie !== undefined));
		for (const swept of await sweepOrphans(paths.root, live)) {
			this.context.log.log('warn', `killed orphans of ${swept.owner} from an earlier run`, swept);
			appendJournal(paths.journalDir, {title: `Killed orphaned processes of agent ${swept.owner}`, body: `${swept.pids.length} process(es) left by an earlier run (pids ${swept.pids.join(', ')}).`});
		}

		const interval = this.events ? this.options.sweepInterval ?? 30_000 : this.options.pollInterval ?? 2000;
		const timer = setInterval(() => this.schedule(), interval);
		timer.unref();
		this.timers.push(timer);
		this.schedule();
	}

	/** Reconcile soon; calls while one runs coalesce into one more run. */
	schedule(): void {
		if (!this.active || this.stopped) {
			return;
		}

		if (this.holds > 0) {
			this.deferred = true;
			return;
		}

		if (this.running) {
			this.again = true;
			return;
		}

		this.running = (async () => {
			do {
				this.again = false;
				const initial = this.initialPending;
				this.initialPending = false;
				try {
					await reconcileAgents({
						context: this.context, records: this.records, lifecycle: this.lifecycle,
						handledWindows: this.fastPath.handledWindows, stopped: () => this.stopped,
					}, initial);
				} catch (error) {
					this.context.log.log('warn', `agents reconciliation failed: ${errorText(error)}`);
				}
			} while (this.again && !this.stopped);
		})().finally(() => {
			this.running = undefined;
		});
	}

	/**
	 * Run a command with no reconciliation beside it: one that read the registry before the command
	 * changed it would undo the change (re-adopt an agent just unregistered). Reconciliations asked
	 * for meanwhile run once it is done.
	 */
	async exclusive<T>(action: () => Promise<T>): Promise<T> {
		this.holds++;
		try {
			await this.settled();
			return await action();
		} finally {
			this.holds--;
			if (this.holds === 0 && this.deferred) {
				this.deferred = false;
				this.schedule();
			}
		}
	}

	/** Wait until no reconciliation and no closed window is being handled (tests, commands). */
	async settled(): Promise<void> {
		while (this.running || this.fastPath.finishing || this.fastPath.timer) {
			if (this.fastPath.timer) {
				await new Promise(resolve => setImmediate(resolve));
			}

			await this.running;
			await this.fastPath.finishing;
		}
	}
}
