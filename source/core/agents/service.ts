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
import {AgentLifecycle, type ClosedWindow} from './lifecycle.js';
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

/** A window was closed: handled on the fast path, for its agent alone (no full reconciliation). */
const closing = new Set(['window-close', 'unlinked-window-close']);
/** Notifications after which the set of windows or panes may differ. */
const structural = new Set(['window-add', 'unlinked-window-add', 'window-renamed', 'unlinked-window-renamed', 'sessions-changed', 'session-changed', 'exit']);
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
	/** Window ids reported closed and not yet looked at (a burst is handled in one pass). */
	private readonly closing = new Set<string>();
	private closingTimer?: NodeJS.Immediate;
	/** Window ids whose close the fast path handled, so a reconciliation with an older listing leaves them alone. */
	private readonly handledWindows = new Set<string>();
	private readonly closedQueue: ClosedWindow[] = [];
	private finishing?: Promise<void>;
	private readonly onNotification = (notification: TmuxNotification) => {
		if (closing.has(notification.name) && notification.args[0]?.startsWith('@')) {
			this.windowClosed(notification.args[0]);
		} else if (structural.has(notification.name) || (notification.name === 'subscription-changed' && notification.args[0] === deadSubscription)) {
			this.schedule();
		} else if (notification.name === 'subscription-changed' && notification.args[0] === activitySubscription) {
			this.noteActivity(notification);
		}
	};

	private readonly onConnected = () => {
		// Perhaps a new server, whose window ids start over.
		this.handledWindows.clear();
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
					this.activate().then(() => this.schedule(), (error: unknown) => {
						// Without tmux (or with its server down) there is nothing to do yet; the next change retries.
						this.context.log.log('warn', `agents: cannot activate: ${errorText(error)}`);
					});
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
		if (this.closingTimer) {
			clearImmediate(this.closingTimer);
		}

		for (const timer of this.timers) {
			clearInterval(timer);
		}

		for (const record of this.records.values()) {
			clearTimeout(record.restartTimer);
		}

		this.control?.off('notification', this.onNotification);
		this.control?.off('connected', this.onConnected);
		await this.running?.catch(() => {});
		await this.finishing?.catch(() => {});
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

	/** Wait until no reconciliation and no closed window is being handled (tests, controls). */
	async settled(): Promise<void> {
		while (this.running || this.finishing || this.closingTimer) {
			if (this.closingTimer) {
				await new Promise(resolve => setImmediate(resolve));
			}

			await this.running;
			await this.finishing;
		}
	}

	/** A window closed: look at it (and any closed with it) as soon as the current I/O is handled. */
	private windowClosed(windowId: string): void {
		if (!this.active || this.stopped) {
			return;
		}

		this.closing.add(windowId);
		this.closingTimer ??= setImmediate(() => {
			this.closingTimer = undefined;
			this.handleClosed();
		});
	}

	/**
	 * The fast path: each closed window is mapped to its agent directly, `agent.exited` is emitted at
	 * once, then the registry, zombie check and restart policy follow for all of them together.
	 * Windows not owned by a live agent that nobody else is handling get a full reconciliation.
	 */
	private handleClosed(): void {
		const ids = [...this.closing];
		this.closing.clear();
		if (this.stopped) {
			return;
		}

		const byWindow = new Map([...this.records.values()].filter(record => record.windowId).map(record => [record.windowId!, record]));
		let read: ReturnType<typeof readRegistry>;
		try {
			read = readRegistry(this.context.paths.registryFile);
		} catch (error) {
			this.context.log.log('warn', `reading the agent registry failed: ${errorText(error)}`);
			read = {registry: {}, corrupt: errorText(error)};
		}

		let unknown = read.corrupt !== undefined;
		for (const id of ids) {
			const record = byWindow.get(id);
			if (!record || record.busy || record.state === 'restarting') {
				// Not an agent window, or a kill/start in progress owns it.
				continue;
			}

			if (!isLive(record.state) || read.corrupt !== undefined) {
				unknown = true;
				continue;
			}

			this.handledWindows.add(id);
			this.closedQueue.push(this.lifecycle.announceClosed(record, read.registry[record.name]));
		}

		if (unknown) {
			this.schedule();
		}

		this.finishing ??= (async () => {
			while (this.closedQueue.length > 0 && !this.stopped) {
				const batch = this.closedQueue.splice(0);
				try {
					await this.lifecycle.finishClosed(batch);
				} catch (error) {
					this.context.log.log('warn', `handling closed agent windows failed: ${errorText(error)}`);
				}
			}
		})().finally(() => {
			this.finishing = undefined;
		});
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

		// The listing may predate windows closed (and handled on the fast path) while this runs.
		const open = (pane: PaneInfo | undefined) => pane && !this.handledWindows.has(pane.windowId) ? pane : undefined;
		for (const record of this.records.values()) {
			if (record.busy || record.state === 'restarting' || this.stopped) {
				continue;
			}

			const entry = registry[record.name];
			const pane = open(record.windowId ? byId.get(record.windowId) : undefined)
				?? open(entry?.window_id ? byId.get(entry.window_id) : undefined)
				?? open(byTarget.get(entry?.window ?? `${config.session}:${record.name}`));
			if (!pane && record.windowId && this.handledWindows.has(record.windowId)) {
				// Its close was handled on the fast path; this registry snapshot may be older than that.
				continue;
			}

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
