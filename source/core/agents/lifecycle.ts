import fs from 'node:fs';
import {sleep} from '../clock.js';
import {appendJournal} from '../journal/journal.js';
import type {ServiceContext} from '../orchestrator.js';
import {cookieVariable} from '../process/cookie.js';
import {environmentValue, isAlive, listProcesses} from '../process/table.js';
import {processesWithCookie} from '../process/cookie.js';
import type {RegistryEntry} from '../registry/entry.js';
import {updateRegistry} from '../registry/registry.js';
import {errorText} from '../errors.js';
import {exitStatusFile, launchAgent} from './launch.js';
import type {AgentRecord} from './record.js';
import {decideRestart, type RestartOptions} from './restart-policy.js';
import {stopAgentProcesses} from './stop.js';
import {deleteAgentRow, saveAgentRow} from './table.js';
import type {PaneInfo} from './windows.js';

/** A window reported closed under a live agent, between announceClosed and finishClosed. */
export interface ClosedWindow {
	record: AgentRecord;
	entry?: RegistryEntry;
	/** `agents kill` in another process was stopping it (its registry entry says so). */
	killed: boolean;
}

/** How long a process of an agent whose window closed may take to die before it counts as a zombie (ms). */
const zombieSettleMs = 250;
/** Processes whose environment is read between two yields to the event loop. */
const scanSlice = 32;

/**
 * The effects on one agent: start it, adopt a window, handle its exit (restart policy), clean up a
 * zombie, kill it. Every change is mirrored to the registry, the agents table and events.
 */
export class AgentLifecycle {
	constructor(private readonly context: ServiceContext, private readonly restartOptions: RestartOptions, private readonly hooks: {changed(): void; forget(name: string): void}) {}

	/** Set when the service stops: pending timers and late work must not touch the closed store. */
	stopped = false;

	async start(record: AgentRecord, how: {restart?: {attempt: number; manual?: boolean}} = {}): Promise<void> {
		const {config, paths} = this.context;
		if (this.stopped) {
			return;
		}

		if (!record.command) {
			throw new Error(`agent ${record.name} has no command to start`);
		}

		record.busy = true;
		this.setState(record, 'starting');
		try {
			const launched = await launchAgent(this.context.tmux, {
				root: paths.root, session: config.session, name: record.name, command: record.command,
				...(record.config?.cwd ? {cwd: record.config.cwd} : {}), env: record.config?.env ?? {},
			});
			Object.assign(record, {windowId: launched.windowId, paneId: launched.paneId, pid: launched.pid, cookie: launched.cookie, target: launched.target, startedAt: launched.startedAt, held: false});
			const {result: registered} = await this.register(record, {started_at: launched.startedAt, source: record.config ? 'config' : 'spawn'});
			this.setState(record, 'running');
			this.context.emit({type: 'agent.started', agent: record.name, window: launched.target, pid: launched.pid});
			if (registered) {
				this.context.emit({type: 'agent.registered', agent: record.name, window: launched.target});
			}

			if (how.restart) {
				this.context.emit({type: 'agent.restarted', agent: record.name, attempt: how.restart.attempt, restarts: record.restarts, ...(how.restart.manual ? {manual: true} : {})});
			}
		} catch (error) {
			this.context.log.log('error', `starting agent ${record.name} failed: ${errorText(error)}`);
			this.setState(record, 'failed', {reason: errorText(error)});
		} finally {
			record.busy = false;
			this.hooks.changed();
		}
	}

	/** A live window of this agent that we did not start in this run (or whose pane changed). */
	async adopt(record: AgentRecord, pane: PaneInfo, entry: RegistryEntry | undefined): Promise<void> {
		record.windowId = pane.windowId;
		record.paneId = pane.paneId;
		record.target = pane.target;
		record.pid = pane.pid;
		record.cookie = environmentValue(pane.pid, cookieVariable) ?? entry?.cookie ?? record.cookie;
		record.startedAt ??= entry?.started_at ?? new Date().toISOString();
		if (!entry || entry.window_id !== pane.windowId || entry.pid !== pane.pid || entry.window !== pane.target) {
			const {result: registered} = await this.register(record, {});
			if (registered) {
				this.context.emit({type: 'agent.registered', agent: record.name, window: pane.target, adopted: true});
			}
		}

		this.setState(record, 'running');
	}

	/** The pane's process ended (the window stays, under remain-on-exit, showing its status). */
	async exited(record: AgentRecord, pane: PaneInfo, entry?: RegistryEntry): Promise<void> {
		if (typeof entry?.stopping === 'string') {
			// `agents kill` in another process is stopping it: not a crash, no restart.
			this.context.emit({type: 'agent.exited', agent: record.name, reason: 'killed'});
			record.held = true;
			this.setState(record, 'stopped', {}, {window: null, pid: null});
			return;
		}

		record.busy = true;
		try {
			pane = {...pane, ...await this.exitStatus(pane, record.name)};
		} finally {
			record.busy = false;
		}

		this.context.emit({type: 'agent.exited', agent: record.name, reason: 'process-exited', ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})});
		await this.afterExit(record, {reason: 'process-exited', ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})}, {windowId: pane.windowId});
	}

	/** The window is gone. A process of the agent that is still alive is a zombie and is killed. */
	async windowGone(record: AgentRecord, entry: RegistryEntry | undefined): Promise<void> {
		await this.finishClosed([this.announceClosed(record, entry)]);
	}

	/**
	 * First half of a closed window, synchronous so it runs as soon as tmux reports the close: the
	 * agent is marked busy (reconciliation leaves it alone) and `agent.exited` is emitted.
	 */
	announceClosed(record: AgentRecord, entry: RegistryEntry | undefined): ClosedWindow {
		record.busy = true;
		const killed = typeof entry?.stopping === 'string';
		this.context.emit({type: 'agent.exited', agent: record.name, reason: killed ? 'killed' : 'window-closed'});
		return {record, entry, killed};
	}

	/**
	 * Second half, for any number of windows closed together: one registry write removes the stale
	 * entries (`agent.stale_removed`), one process scan finds processes still carrying their cookies
	 * (zombies, killed), then the restart policy applies to each.
	 */
	async finishClosed(closed: ClosedWindow[]): Promise<void> {
		try {
			const stale = closed.filter(item => item.entry && !item.killed);
			if (stale.length > 0 && !this.stopped) {
				const {result: removed} = await updateRegistry(this.context.paths.registryFile, registry => stale.filter(({record}) => {
					const current = registry[record.name];
					if (current === undefined || typeof current.stopping === 'string') {
						return false;
					}

					delete registry[record.name];
					return true;
				}));
				for (const {record, entry} of removed) {
					this.context.emit({type: 'agent.stale_removed', agent: record.name, window: entry!.window ?? record.target});
				}
			}

			const cookies = new Set(closed.map(({record}) => record.cookie).filter((cookie): cookie is string => cookie !== undefined));
			const carriers = new Map<string, number[]>();
			if (cookies.size > 0) {
				// In slices, yielding between them: notifications of other windows are not held up.
				const table = listProcesses();
				for (let index = 0; index < table.length; index += scanSlice) {
					if (index > 0) {
						await new Promise(resolve => setImmediate(resolve));
					}

					for (const row of processesWithCookie(cookie => cookies.has(cookie), table.slice(index, index + scanSlice))) {
						carriers.set(row.cookie, [...carriers.get(row.cookie) ?? [], row.pid]);
					}
				}
			}

			await Promise.all(closed.map(async ({record, killed}) => {
				try {
					await this.killLeftovers(record, 'process-alive', undefined, record.cookie ? carriers.get(record.cookie) ?? [] : []);
				} finally {
					record.busy = false;
				}

				if (killed) {
					record.held = true;
					this.setState(record, 'stopped', {}, {window: null, pid: null});
					return;
				}

				await this.afterExit(record, {reason: 'window-closed'}, {leftovers: false, unregister: false});
			}));
		} finally {
			for (const {record} of closed) {
				record.busy = false;
			}
		}
	}

	/** A window whose pane is dead and nobody handled it: report, close it, kill what is left. */
	async deadPaneZombie(record: AgentRecord, pane: PaneInfo): Promise<void> {
		this.context.emit({type: 'agent.zombie', agent: record.name, form: 'dead-pane', window: pane.target, ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})});
		record.busy = true;
		try {
			record.cookie ??= environmentValue(pane.pid, cookieVariable);
			const result = await stopAgentProcesses(this.context.tmux, {window: pane.windowId, ...(record.cookie ? {cookie: record.cookie} : {}), grace: record.config?.stopTimeout ?? 5000});
			this.context.emit({type: 'agent.killed', agent: record.name, zombie: true, survivors: result.survivors.length});
			await updateRegistry(this.context.paths.registryFile, registry => {
				delete registry[record.name];
			});
		} finally {
			record.busy = false;
		}

		this.setState(record, 'exited', {}, {window: null, pid: null});
	}

	/** Stop the agent's whole tree and close its window; it stays down until started again. */
	async kill(record: AgentRecord, options: {force: boolean; hold: boolean}): Promise<void> {
		clearTimeout(record.restartTimer);
		record.busy = true;
		try {
			const result = await stopAgentProcesses(this.context.tmux, {
				...(record.pid ? {pid: record.pid} : {}), ...(record.cookie ? {cookie: record.cookie} : {}),
				grace: record.config?.stopTimeout ?? 5000, force: options.force,
			});
			// Its processes are gone: the window and the registry entry go together.
			await Promise.all([
				record.windowId ? this.context.tmux.run(['kill-window', '-t', record.windowId]).catch(() => []) : undefined,
				updateRegistry(this.context.paths.registryFile, registry => {
					delete registry[record.name];
				}),
			]);
			this.context.emit({type: 'agent.exited', agent: record.name, reason: 'killed'});
			this.context.emit({type: 'agent.killed', agent: record.name, force: options.force, ms: result.ms, targets: result.targets.length, survivors: result.survivors.length});
			record.held = options.hold;
			this.setState(record, 'stopped', {}, {window: null, pid: null});
			record.windowId = undefined;
			record.pid = undefined;
		} finally {
			record.busy = false;
		}
	}

	setState(record: AgentRecord, state: AgentRecord['state'], detail: Record<string, unknown> = {}, clear: {window?: null; pid?: null} = {}): void {
		record.state = state;
		if (this.stopped) {
			return;
		}

		saveAgentRow(this.context.store, {
			name: record.name, type: record.type, state, restarts: record.restarts,
			window: clear.window === null ? null : record.target, pid: clear.pid === null ? null : record.pid, startedAt: record.startedAt ?? null, detail,
		});
	}

	/** An agent that is not configured and is gone: its row and record go too. */
	forget(record: AgentRecord): void {
		deleteAgentRow(this.context.store, record.name);
		this.hooks.forget(record.name);
	}

	private async afterExit(record: AgentRecord, exit: {reason: 'process-exited' | 'window-closed'; code?: number}, options: {windowId?: string; leftovers?: boolean; unregister?: boolean} = {}): Promise<void> {
		// Busy until its new state is set: a window-close notification meanwhile is not a second exit.
		record.busy = true;
		try {
			await this.decideAfterExit(record, exit, options);
		} finally {
			record.busy = false;
		}
	}

	private async decideAfterExit(record: AgentRecord, exit: {reason: 'process-exited' | 'window-closed'; code?: number}, options: {windowId?: string; leftovers?: boolean; unregister?: boolean}): Promise<void> {
		if (options.leftovers !== false) {
			// Whatever the pane left behind (children, the dead window) goes before any restart.
			await this.killLeftovers(record, undefined, options.windowId);
		}

		if (this.stopped) {
			return;
		}

		const now = Date.now();
		const decision = decideRestart(record.config?.restart ?? 'never', exit, record.restartTimes, now, this.restartOptions);
		if (decision.action === 'restart') {
			record.restartTimes = [...record.restartTimes.filter(ts => now - ts < this.restartOptions.window), now];
			record.restarts++;
			this.setState(record, 'restarting', {delay: decision.delay}, {pid: null});
			record.restartTimer = setTimeout(() => {
				record.restartTimer = undefined;
				if (record.state === 'restarting') {
					this.start(record, {restart: {attempt: decision.attempt}}).catch((error: unknown) => {
						this.context.log.log('error', `restarting ${record.name} failed: ${errorText(error)}`);
					});
				}
			}, decision.delay);
			return;
		}

		if (options.unregister !== false) {
			await updateRegistry(this.context.paths.registryFile, registry => {
				delete registry[record.name];
			});
		}

		if (decision.action === 'fail') {
			record.held = true;
			this.setState(record, 'failed', {reason: `crash loop: ${decision.restarts} restarts in ${this.restartOptions.window / 1000}s`}, {window: null, pid: null});
			this.context.emit({type: 'agent.escalated', agent: record.name, reason: 'crash-loop', restarts: decision.restarts});
			appendJournal(this.context.paths.journalDir, `agent ${record.name} is in a crash loop (${decision.restarts} restarts in ${this.restartOptions.window / 1000}s): marked failed, not restarted until asked`);
			return;
		}

		if (record.config) {
			this.setState(record, 'exited', exit.code === undefined ? {} : {code: exit.code}, {window: null, pid: null});
		} else {
			this.forget(record);
		}
	}

	/**
	 * Kill what is left of an agent: processes carrying its cookie (and its pane pid if it still
	 * carries the cookie), then its window. With `zombie` set, processes still alive a moment later
	 * (a pane's process takes a few ms to die of the SIGHUP a closed window sends) are reported as a
	 * zombie. `carriers` is the cookie scan when the caller already made it (one scan for many agents).
	 */
	private async killLeftovers(record: AgentRecord, zombie?: 'process-alive', windowId?: string, carriers?: number[]): Promise<void> {
		const pidIsOurs = record.pid !== undefined && isAlive(record.pid) && record.cookie !== undefined && environmentValue(record.pid, cookieVariable) === record.cookie;
		carriers ??= record.cookie ? processesWithCookie(record.cookie).map(row => row.pid) : [];
		const found = [...new Set([...(pidIsOurs ? [record.pid!] : []), ...carriers])];
		if (zombie) {
			for (let waited = 0; waited < zombieSettleMs && found.some(pid => isAlive(pid)); waited += 25) {
				await sleep(25);
			}

			const alive = found.filter(pid => isAlive(pid));
			if (alive.length > 0) {
				this.context.emit({type: 'agent.zombie', agent: record.name, form: zombie, pids: alive});
			}
		}

		// Even when all found died meanwhile, they may have forked: the cookie scan of killTree finds those.
		if (found.length === 0 && !windowId) {
			return;
		}

		const result = await stopAgentProcesses(this.context.tmux, {
			...(windowId ? {window: windowId} : {}), ...(pidIsOurs ? {pid: record.pid} : {}), ...(record.cookie ? {cookie: record.cookie} : {}),
			grace: record.config?.stopTimeout ?? 5000,
		});
		if (zombie && result.targets.length > 0) {
			this.context.emit({type: 'agent.killed', agent: record.name, zombie: true, targets: result.targets.length, survivors: result.survivors.length});
		}
	}

	/** tmux marks a pane dead when its terminal closes, a moment before it has the exit status: wait for it briefly. */
	private async exitStatus(pane: PaneInfo, name: string): Promise<{deadStatus?: number}> {
		const recorded = readExitStatus(exitStatusFile(this.context.paths.root, name));
		if (recorded !== undefined) {
			return {deadStatus: recorded};
		}

		// A window started by an older run has no recorded status: ask tmux.
		for (let attempt = 0; pane.deadStatus === undefined && attempt < 100; attempt++) {
			await new Promise(resolve => setTimeout(resolve, 20));
			const [status = ''] = await this.context.tmux.run(['display-message', '-p', '-t', pane.paneId, '#{pane_dead_status}']).catch(() => ['']);
			if (status !== '') {
				return {deadStatus: Number(status)};
			}
		}

		return pane.deadStatus === undefined ? {} : {deadStatus: pane.deadStatus};
	}

	/** Write the agent's entry (other keys kept); resolves true when the entry is new. */
	private async register(record: AgentRecord, extra: Partial<RegistryEntry>): Promise<{result: boolean}> {
		const now = new Date().toISOString();
		return updateRegistry(this.context.paths.registryFile, registry => {
			const existing = registry[record.name];
			registry[record.name] = {
				...existing, ...extra, name: record.name, type: record.type,
				...(record.target ? {window: record.target} : {}), ...(record.windowId ? {window_id: record.windowId} : {}),
				...(record.paneId ? {pane_id: record.paneId} : {}), ...(record.pid ? {pid: record.pid} : {}),
				...(record.cookie ? {cookie: record.cookie} : {}), ...(record.command ? {command: record.command} : {}),
				registered_at: existing?.registered_at ?? now,
			};
			delete registry[record.name]!.stopping;
			return existing === undefined;
		});
	}
}

/** The status the launch wrapper wrote, or undefined when there is none (yet). */
function readExitStatus(file: string): number | undefined {
	try {
		const status = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
		return Number.isInteger(status) ? status : undefined;
	} catch {
		return undefined;
	}
}
