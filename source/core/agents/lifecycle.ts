import type {ServiceContext} from '../orchestrator.js';
import {cookieVariable} from '../process/cookie.js';
import {environmentValue} from '../process/table.js';
import type {RegistryEntry} from '../registry/entry.js';
import {cmuxAgentEnv} from '../compat/agent-env.js';
import {archivedRecently, cmuxEntryFields, entryTarget, isPermanent} from '../registry/cmux-entry.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import {errorText, StateError} from '../errors.js';
import type {KillTreeResult} from '../process/kill-tree.js';
import {alreadyGone} from '../tmux/gone.js';
import {afterExit} from './after-exit.js';
import {cookieCarriers, removeStaleEntries, type ClosedWindow} from './closed-windows.js';
import {paneExitStatus} from './exit-status.js';
import {launchAgent} from './launch.js';
import {killLeftovers} from './leftovers.js';
import {isLive, type AgentRecord} from './record.js';
import {registerAgent} from './registration.js';
import type {RestartOptions} from './restart-policy.js';
import {stopAgentProcesses} from './stop.js';
import type {PaneInfo} from './windows.js';

/**
 * The effects on one agent: start it, adopt a window, handle its exit (restart policy), clean up a
 * zombie, kill it. Every change is mirrored to the registry, the agents table and events.
 */
export class AgentLifecycle {
	constructor(readonly context: ServiceContext, readonly restartOptions: RestartOptions, private readonly hooks: {changed(): void; forget(name: string): void}) {}

	/** Set when the service stops: pending timers and late work must not touch the closed store. */
	stopped = false;

	/** Start the agent in a new window; resolves with why it failed (it is then marked `failed`), else undefined. */
	async start(record: AgentRecord, how: {restart?: {attempt: number; manual?: boolean}} = {}): Promise<string | undefined> {
		const {config, paths} = this.context;
		if (this.stopped) {
			return 'the agents service is stopping';
		}

		if (!record.command) {
			throw new StateError(`agent ${record.name} has no command to start`);
		}

		record.busy = true;
		this.setState(record, 'starting');
		try {
			// The id CMUX's tools know the agent by, stable across restarts: kept in its registry entry.
			const {registry} = readRegistry(paths.registryFile);
			const entry = registry[record.name];
			const agentId = typeof entry?.agent_id === 'string' ? entry.agent_id : cmuxEntryFields(record.name, record.type, entry, registry, '').agent_id!;
			const launched = await launchAgent(this.context.tmux, {
				root: paths.root, session: config.session, name: record.name, command: record.command,
				...(record.config?.cwd ? {cwd: record.config.cwd} : {}), env: record.config?.env ?? {},
				cmuxEnv: cmuxAgentEnv({config, paths, name: record.name, type: record.type, agentId, ...(typeof entry?.role === 'string' ? {role: entry.role} : {})}),
				...(record.config?.kind ? {kind: record.config.kind} : {}), ...(record.resume ? {resume: record.resume} : {}),
			});
			record.resume = undefined;
			Object.assign(record, {windowId: launched.windowId, paneId: launched.paneId, pid: launched.pid, cookie: launched.cookie, target: launched.target, startedAt: launched.startedAt, held: false});
			const {result: registered} = await registerAgent(paths.registryFile, record, {started_at: launched.startedAt, source: record.config ? 'config' : 'spawn', agent_id: agentId});
			this.setState(record, 'running');
			this.context.emit({type: 'agent.started', agent: record.name, window: launched.target, pid: launched.pid});
			if (registered) {
				this.context.emit({type: 'agent.registered', agent: record.name, window: launched.target});
			}

			if (how.restart) {
				this.context.emit({type: 'agent.restarted', agent: record.name, attempt: how.restart.attempt, restarts: record.restarts, ...(how.restart.manual ? {manual: true} : {})});
			}

			return undefined;
		} catch (error) {
			this.context.log.log('error', `starting agent ${record.name} failed: ${errorText(error)}`);
			this.setState(record, 'failed', {reason: errorText(error)});
			return errorText(error);
		} finally {
			record.busy = false;
			this.hooks.changed();
		}
	}

	/**
	 * A live window of this agent that we did not start in this run (or whose pane changed): e.g. an
	 * earlier run's, or one CMUX's `workers spawn` opened and registered. Newly seen, it is
	 * announced as `agent.registered` and `agent.started` (both `adopted: true`).
	 */
	async adopt(record: AgentRecord, pane: PaneInfo, entry: RegistryEntry | undefined): Promise<void> {
		const newlySeen = !isLive(record.state) || record.windowId !== pane.windowId;
		record.windowId = pane.windowId;
		record.paneId = pane.paneId;
		record.target = pane.target;
		record.pid = pane.pid;
		record.cookie = environmentValue(pane.pid, cookieVariable) ?? entry?.cookie ?? record.cookie;
		record.startedAt ??= entry?.started_at ?? new Date().toISOString();
		record.permanent = entry?.permanent === true;
		let registered = false;
		if (!entry || entry.window_id !== pane.windowId || entry.pid !== pane.pid || entryTarget(entry.window, this.context.config.session, record.name) !== pane.target
			|| typeof entry.agent_id !== 'string') {
			registered = (await registerAgent(this.context.paths.registryFile, record, {})).result;
		}

		if (registered || newlySeen) {
			this.context.emit({type: 'agent.registered', agent: record.name, window: pane.target, adopted: true});
		}

		this.setState(record, 'running');
		if (newlySeen) {
			this.context.emit({type: 'agent.started', agent: record.name, window: pane.target, pid: pane.pid, adopted: true});
		}
	}

	/** A permanent entry (CMUX's `permanent: true`) whose window is gone: kept, and reported as missing. */
	permanentMissing(record: AgentRecord): void {
		if (isLive(record.state)) {
			this.context.emit({type: 'agent.exited', agent: record.name, reason: 'window-closed', permanent: true});
		}

		this.setState(record, 'missing', {permanent: true, reason: 'its window is gone; the permanent registry entry is kept'}, {window: null, pid: null});
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
			pane = {...pane, ...await paneExitStatus(this.context, pane, record.name)};
		} finally {
			record.busy = false;
		}

		this.context.emit({type: 'agent.exited', agent: record.name, reason: 'process-exited', ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})});
		await afterExit(this, record, {reason: 'process-exited', ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})}, {windowId: pane.windowId});
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
		// CMUX's `workers kill` archives the agent through the API, then closes its window itself.
		const archived = !killed && archivedRecently(entry, this.context.clock.now());
		this.context.emit({type: 'agent.exited', agent: record.name, reason: killed ? 'killed' : 'window-closed', ...(archived ? {archived: true} : {})});
		return {record, entry, killed, archived};
	}

	/**
	 * Second half, for any number of windows closed together: one registry write removes the stale
	 * entries (`agent.stale_removed`), one process scan finds processes still carrying their cookies
	 * (zombies, killed), then the restart policy applies to each.
	 */
	async finishClosed(closed: ClosedWindow[]): Promise<void> {
		try {
			if (!this.stopped) {
				await removeStaleEntries(this.context, closed);
			}

			const carriers = await cookieCarriers(closed);
			await Promise.all(closed.map(async ({record, killed}) => {
				try {
					await killLeftovers(this.context, record, 'process-alive', undefined, record.cookie ? carriers.get(record.cookie) ?? [] : []);
				} finally {
					record.busy = false;
				}

				if (killed) {
					record.held = true;
					this.setState(record, 'stopped', {}, {window: null, pid: null});
					return;
				}

				await afterExit(this, record, {reason: 'window-closed'}, {leftovers: false, unregister: false});
			}));
		} finally {
			for (const {record} of closed) {
				record.busy = false;
			}
		}
	}

	/** A window whose pane is dead and nobody handled it: report, close it, kill what is left. */
	async deadPaneZombie(record: AgentRecord, pane: PaneInfo): Promise<void> {
		pane = {...pane, ...await paneExitStatus(this.context, pane, record.name)};
		this.context.emit({type: 'agent.zombie', agent: record.name, form: 'dead-pane', window: pane.target, ...(pane.deadStatus === undefined ? {} : {code: pane.deadStatus})});
		record.busy = true;
		try {
			record.cookie ??= environmentValue(pane.pid, cookieVariable);
			const result = await stopAgentProcesses(this.context.tmux, {window: pane.windowId, ...(record.cookie ? {cookie: record.cookie} : {}), grace: record.config?.stopTimeout ?? 5000});
			this.context.emit({type: 'agent.killed', agent: record.name, zombie: true, survivors: result.survivors.length});
			await updateRegistry(this.context.paths.registryFile, registry => {
				if (!isPermanent(registry[record.name])) {
					delete registry[record.name];
				}
			});
		} finally {
			record.busy = false;
		}

		this.setState(record, record.permanent && !record.config ? 'missing' : 'exited', {}, {window: null, pid: null});
	}

	/** Stop the agent's whole tree and close its window; it stays down until started again. */
	async kill(record: AgentRecord, options: {force: boolean; hold: boolean}): Promise<KillTreeResult> {
		this.context.clock.clearTimeout(record.restartTimer);
		record.busy = true;
		try {
			const result = await stopAgentProcesses(this.context.tmux, {
				...(record.pid ? {pid: record.pid} : {}), ...(record.cookie ? {cookie: record.cookie} : {}),
				grace: record.config?.stopTimeout ?? 5000, force: options.force,
			});
			// Its processes are gone: the window and the registry entry go together.
			await Promise.all([
				record.windowId ? this.context.tmux.run(['kill-window', '-t', record.windowId]).catch(alreadyGone) : undefined,
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
			return result;
		} finally {
			record.busy = false;
		}
	}

	setState(record: AgentRecord, state: AgentRecord['state'], detail: Record<string, unknown> = {}, clear: {window?: null; pid?: null} = {}): void {
		record.state = state;
		if (this.stopped) {
			return;
		}

		this.context.store.agents.save({
			name: record.name, type: record.type, state, restarts: record.restarts,
			window: clear.window === null ? null : record.target, pid: clear.pid === null ? null : record.pid, startedAt: record.startedAt ?? null, detail,
		});
	}

	/** An agent that is not configured and is gone: its row and record go too. */
	forget(record: AgentRecord): void {
		this.context.store.agents.delete(record.name);
		this.hooks.forget(record.name);
	}
}
