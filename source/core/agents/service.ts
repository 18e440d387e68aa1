import fs from 'node:fs';
import {errorText} from '../errors.js';
import {appendJournal} from '../journal/journal.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {cookieVariable} from '../process/cookie.js';
import {environmentValue} from '../process/table.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import {ControlTmuxClient} from '../tmux/control-client.js';
import type {TmuxNotification} from '../tmux/control-parser.js';
import {installAgentControls} from './controls.js';
import {AgentLifecycle} from './lifecycle.js';
import {sweepOrphans} from './orphans.js';
import {isLive, recordFromConfig, recordFromEntry, type AgentRecord} from './record.js';
import {defaultRestartOptions, type RestartOptions} from './restart-policy.js';
import {ensureSession, listPanes, type PaneInfo} from './windows.js';

export interface AgentsServiceOptions {
	restart?: Partial<RestartOptions>;
	/** Safety-net reconciliation interval (ms); notifications drive everything else. */
	sweepInterval?: number;
	/** Poll interval when the tmux client has no notifications (the exec client). */
	pollInterval?: number;
}

/** Notifications after which the set of windows or panes may differ. */
const structural = new Set(['window-add', 'window-close', 'unlinked-window-add', 'unlinked-window-close', 'window-renamed', 'unlinked-window-renamed', 'sessions-changed', 'session-changed', 'exit']);
const deadSubscription = 'cmux-dead';
const activitySubscription = 'cmux-activity';

/**
 * Keeps the agents that exist in tmux, the registry and the agents table in agreement, driven by
 * tmux control-mode notifications: starts configured agents, adopts windows from an earlier run,
 * removes stale entries, kills zombies, applies the restart policy.
 */
export class AgentsService implements Service {
	readonly name = 'agents';
	readonly records = new Map<string, AgentRecord>();
	readonly lifecycle: AgentLifecycle;
	private active = false;
	private stopped = false;
	private running?: Promise<void>;
	private again = false;
	private initialPending = true;
	private timers: NodeJS.Timeout[] = [];
	private watcher?: fs.FSWatcher;
	private readonly control?: ControlTmuxClient;
	private readonly onNotification = (notification: TmuxNotification) => {
		if (structural.has(notification.name) || (notification.name === 'subscription-changed' && notification.args[0] === deadSubscription)) {
			this.schedule();
		} else if (notification.name === 'subscription-changed' && notification.args[0] === activitySubscription) {
			this.noteActivity(notification);
		}
	};

	private readonly onConnected = () => {
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
		if (context.tmux instanceof ControlTmuxClient) {
			this.control = context.tmux;
		}
	}

	async start(): Promise<void> {
		for (const agent of this.context.config.agents) {
			this.records.set(agent.name, recordFromConfig(agent));
		}

		installAgentControls(this.context, this);
		// The registry is watched even when idle, so `register` from a script wakes the service.
		try {
			this.watcher = fs.watch(this.context.paths.stateDir, (_event, file) => {
				if (file === 'agent_registry.json') {
					void this.activate().then(() => this.schedule());
				}
			});
		} catch {}

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
		for (const timer of this.timers) {
			clearInterval(timer);
		}

		for (const record of this.records.values()) {
			clearTimeout(record.restartTimer);
		}

		this.control?.off('notification', this.onNotification);
		this.control?.off('connected', this.onConnected);
		await this.running?.catch(() => {});
	}

	/** Connect, sweep orphans of a crashed run, and reconcile for the first time. */
	async activate(): Promise<void> {
		if (this.active || this.stopped) {
			return;
		}

		this.active = true;
		const {tmux, config, paths} = this.context;
		await ensureSession(tmux, config.session, paths.root);
		if (this.control) {
			this.control.on('notification', this.onNotification);
			this.control.on('connected', this.onConnected);
			await this.control.subscribe({name: deadSubscription, target: '%*', format: '#{pane_dead}:#{pane_dead_status}'});
			await this.control.subscribe({name: activitySubscription, target: '%*', format: '#{window_activity}'});
		}

		const panes = await listPanes(tmux);
		const live = new Set(panes.filter(pane => pane.session === config.session && this.records.has(pane.windowName) && !pane.dead)
			.map(pane => environmentValue(pane.pid, cookieVariable)).filter((cookie): cookie is string => cookie !== undefined));
		for (const swept of await sweepOrphans(paths.root, live)) {
			this.context.log.log('warn', `killed orphans of ${swept.owner} from an earlier run`, swept);
			appendJournal(paths.journalDir, `Killed ${swept.pids.length} orphaned process(es) of agent ${swept.owner} left by an earlier run (pids ${swept.pids.join(', ')}).`);
		}

		const interval = this.control ? this.options.sweepInterval ?? 30_000 : this.options.pollInterval ?? 2000;
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
					await this.reconcile(initial);
				} catch (error) {
					this.context.log.log('warn', `agents reconciliation failed: ${errorText(error)}`);
				}
			} while (this.again && !this.stopped);
		})().finally(() => {
			this.running = undefined;
		});
	}

	/** Wait until no reconciliation is running (tests, controls). */
	async settled(): Promise<void> {
		while (this.running) {
			await this.running;
		}
	}

	private async reconcile(initial: boolean): Promise<void> {
		const {config, paths} = this.context;
		const panes = await listPanes(this.context.tmux);
		const byId = new Map(panes.map(pane => [pane.windowId, pane]));
		const byTarget = new Map<string, PaneInfo>();
		for (const pane of panes) {
			if (!byTarget.has(pane.target)) {
				byTarget.set(pane.target, pane);
			}
		}

		const read = readRegistry(paths.registryFile);
		let registry = read.registry;
		if (read.corrupt !== undefined) {
			registry = await this.recoverRegistry(read.corrupt);
		}

		for (const entry of Object.values(registry)) {
			if (!this.records.has(entry.name)) {
				this.records.set(entry.name, recordFromEntry(entry));
			}
		}

		for (const record of this.records.values()) {
			if (record.busy || record.state === 'restarting' || this.stopped) {
				continue;
			}

			const entry = registry[record.name];
			const pane = (record.windowId ? byId.get(record.windowId) : undefined)
				?? (entry?.window_id ? byId.get(entry.window_id) : undefined)
				?? byTarget.get(entry?.window ?? `${config.session}:${record.name}`);
			if (pane && !pane.dead) {
				if (!isLive(record.state) || record.windowId !== pane.windowId || record.pid !== pane.pid || !entry) {
					await this.lifecycle.adopt(record, pane, entry);
				}
			} else if (pane) {
				if (isLive(record.state) && record.windowId === pane.windowId) {
					await this.lifecycle.exited(record, pane, entry);
				} else {
					await this.lifecycle.deadPaneZombie(record, pane);
					if (initial && record.config && !record.held) {
						await this.lifecycle.start(record);
					}
				}
			} else if (isLive(record.state) || (entry && typeof entry.stopping !== 'string')) {
				await this.lifecycle.windowGone(record, entry);
				if (initial && record.config && !record.held && record.state === 'exited') {
					await this.lifecycle.start(record);
				}
			} else if (initial && record.config && !record.held && record.state !== 'failed') {
				await this.lifecycle.start(record);
			}
		}
	}

	/** Move the corrupt file aside and rebuild the registry from what tmux shows. */
	private async recoverRegistry(problem: string): Promise<Record<string, never>> {
		const {corruptMovedTo} = await updateRegistry(this.context.paths.registryFile, () => {});
		const message = `agent registry was corrupt (${problem}); moved to ${corruptMovedTo ?? '?'} and rebuilt from tmux`;
		this.context.log.log('error', message);
		appendJournal(this.context.paths.journalDir, message);
		this.context.store.setServiceState('agents', 'degraded', {reason: message, corruptMovedTo});
		for (const record of this.records.values()) {
			// Re-adopted (and re-registered) below from their live windows.
			if (isLive(record.state)) {
				record.state = 'missing';
			}
		}

		return {};
	}

	private noteActivity(notification: TmuxNotification): void {
		const windowId = notification.args.find(argument => argument.startsWith('@'));
		const seconds = Number(notification.raw.slice(notification.raw.lastIndexOf(' : ') + 3));
		for (const record of this.records.values()) {
			if (record.windowId === windowId && Number.isFinite(seconds) && seconds > 0) {
				this.context.store.db.prepare('UPDATE agents SET last_activity = ? WHERE name = ?').run(new Date(seconds * 1000).toISOString(), record.name);
			}
		}
	}
}
