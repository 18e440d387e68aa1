import {isoNow} from '../clock.js';
import {StateError, TmuxError, UsageError} from '../errors.js';
import type {EventInput} from '../events.js';
import type {Project} from '../project.js';
import type {RegistryEntry} from '../registry/entry.js';
import {cmuxAgentEnv} from '../compat/agent-env.js';
import {cmuxEntryFields, entryTarget} from '../registry/cmux-entry.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import type {Store} from '../store/store.js';
import type {TmuxClient} from '../tmux/client.js';
import {activityRows} from '../supervision/activity-store.js';
import {launchAgent} from './launch.js';
import {registerScriptAgent} from './registration.js';
import {stopAgentProcesses} from './stop.js';
import {ensureSession, listPanes, listPanesIfServer, type PaneInfo} from './windows.js';

/**
 * What the one-shot CLI commands do without a running orchestrator to ask: they act on tmux, the
 * locked registry and the store directly. A running orchestrator sees the result through tmux
 * notifications and the registry file, and reconciles.
 */
export interface DirectContext {
	project: Project;
	store: Store;
	tmux: TmuxClient;
}

export interface AgentListing {
	name: string;
	type: string;
	state: string;
	window: string | null;
	pid: number | null;
	configured: boolean;
	registered: boolean;
	restarts: number;
	/** What the agent is doing (supervision's activity state), or null before anything is known. */
	activity: {state: string; source: string; since: string} | null;
}

function record(store: Store, event: EventInput): void {
	store.recordEvent(event);
}

/**
 * The registry joined with live tmux state (and the configured agents that are not running).
 * A tmux server that cannot be reached is a TmuxError, not a list of stopped agents, unless
 * `noServerIsEmpty` says that no server simply means nothing runs (`stop`).
 */
export async function listAgents({project, store, tmux}: DirectContext, options: {noServerIsEmpty?: boolean} = {}): Promise<AgentListing[]> {
	const {registry} = readRegistry(project.paths.registryFile);
	const panes = options.noServerIsEmpty ? await listPanesIfServer(tmux) : await listPanes(tmux);
	const rows = store.agents.states();
	const activity = new Map(activityRows(store).map(row => [row.agent, {state: row.state, source: row.source, since: row.since}]));
	const names = [...new Set([...project.config.agents.map(agent => agent.name), ...Object.keys(registry)])].sort();
	return names.map(name => {
		const entry = registry[name];
		const configured = project.config.agents.find(agent => agent.name === name);
		const pane = findPane(panes, project.config.session, name, entry);
		const stored = rows.get(name);
		const state = pane ? (pane.dead ? 'exited' : (stored && ['idle', 'busy'].includes(stored.state) ? stored.state : 'running'))
			: entry ? 'missing' : (stored?.state ?? 'stopped');
		return {name, type: entry?.type ?? configured?.type ?? 'worker', state, window: pane?.target ?? entry?.window ?? null, pid: pane?.pid ?? null, configured: Boolean(configured), registered: Boolean(entry), restarts: stored?.restarts ?? 0, activity: activity.get(name) ?? null};
	});
}

/**
 * The agent's pane. An entry that recorded its window id is found by that id only: a window that
 * took the same name later is not the agent's, and nothing may act on it.
 */
export function findPane(panes: readonly PaneInfo[], session: string, name: string, entry?: RegistryEntry): PaneInfo | undefined {
	if (entry?.window_id) {
		return panes.find(pane => pane.windowId === entry.window_id);
	}

	return panes.find(pane => pane.target === entryTarget(entry?.window, session, name));
}

/** Start an agent (its config, or `command`) in a new window and register it. */
export async function spawnAgent({project, store, tmux}: DirectContext, name: string, options: {command?: string; type?: string; resume?: string} = {}): Promise<RegistryEntry> {
	const configured = project.config.agents.find(agent => agent.name === name);
	const command = options.command ?? configured?.command ?? readRegistry(project.paths.registryFile).registry[name]?.command;
	if (!command) {
		throw new UsageError(`agent ${name} is not in the config: give its --command`);
	}

	const {registry} = readRegistry(project.paths.registryFile);
	const running = findPane(await listPanesIfServer(tmux), project.config.session, name, registry[name]);
	if (running && !running.dead) {
		throw new StateError(`agent ${name} is already running in ${running.target} (pid ${running.pid})`);
	}

	await ensureSession(tmux, project.config.session, project.root);
	const type = options.type ?? configured?.type ?? 'worker';
	const agentId = registry[name]?.agent_id ?? cmuxEntryFields(name, type, registry[name], registry, '').agent_id!;
	const launched = await launchAgent(tmux, {root: project.root, session: project.config.session, name, command, ...(configured?.cwd ? {cwd: configured.cwd} : {}), env: configured?.env ?? {},
		cmuxEnv: cmuxAgentEnv({config: project.config, paths: project.paths, name, type, agentId}), ...(configured?.kind ? {kind: configured.kind} : {}), ...(options.resume ? {resume: options.resume} : {})});
	const {result: entry} = await updateRegistry(project.paths.registryFile, entries => {
		entries[name] = {
			...entries[name], ...cmuxEntryFields(name, type, entries[name], entries, launched.startedAt), agent_id: agentId, name, type, window: launched.target, window_id: launched.windowId, pane_id: launched.paneId, pid: launched.pid,
			cookie: launched.cookie, command, source: configured ? 'config' : 'spawn', started_at: launched.startedAt, registered_at: launched.startedAt,
		};
		delete entries[name]!.stopping;
		return entries[name]!;
	});
	store.agents.save({name, type, state: 'running', window: launched.target, pid: launched.pid, startedAt: launched.startedAt});
	record(store, {type: 'agent.started', agent: name, window: launched.target, pid: launched.pid});
	record(store, {type: 'agent.registered', agent: name, window: launched.target});
	return entry;
}

/** Stop an agent's whole process tree with escalation, close its window, unregister it. */
export async function killAgent({project, store, tmux}: DirectContext, name: string, options: {force?: boolean} = {}) {
	const {registry} = readRegistry(project.paths.registryFile);
	const entry = registry[name];
	let unreachable: TmuxError | undefined;
	const panes = await listPanes(tmux).catch((error: unknown) => {
		// Without a server there is no window, but a registered agent's processes can still be found by cookie.
		if (error instanceof TmuxError && error.reason === 'unreachable') {
			unreachable = error;
			return [];
		}

		throw error;
	});
	const pane = findPane(panes, project.config.session, name, entry);
	if (!entry && !pane) {
		if (unreachable) {
			throw unreachable;
		}

		throw new StateError(`agent ${name} is not running (not registered, no window ${project.config.session}:${name})`);
	}

	if (entry) {
		// Tells a running orchestrator this window closes on purpose (no stale removal, no restart).
		await updateRegistry(project.paths.registryFile, entries => {
			if (entries[name]) {
				entries[name]!.stopping = isoNow();
			}
		});
	}

	const configured = project.config.agents.find(agent => agent.name === name);
	const result = await stopAgentProcesses(tmux, {
		...(pane ? {window: pane.windowId, pid: pane.pid} : {}), ...(entry?.cookie ? {cookie: entry.cookie} : {}),
		grace: configured?.stopTimeout ?? 5000, force: options.force,
	});
	await updateRegistry(project.paths.registryFile, entries => {
		delete entries[name];
	});
	store.agents.save({name, type: entry?.type ?? configured?.type ?? 'worker', state: 'stopped', window: null, pid: null});
	record(store, {type: 'agent.exited', agent: name, reason: 'killed'});
	record(store, {type: 'agent.killed', agent: name, force: Boolean(options.force), ms: result.ms, targets: result.targets.length, survivors: result.survivors.length});
	return result;
}

/** `register NAME`: an agent started by a script. */
export async function registerAgent({project, store, tmux}: DirectContext, name: string, options: {type?: string; window?: string} = {}): Promise<RegistryEntry> {
	// A bare window name (as CMUX's Python services write it) is that window in the session.
	const window = entryTarget(options.window, project.config.session, name);
	const entry = await registerScriptAgent(project.paths.registryFile, tmux, name, {window, ...(options.type ? {type: options.type} : {})});
	store.agents.save({name, type: entry.type, state: 'running', window, ...(entry.pid ? {pid: entry.pid} : {})});
	record(store, {type: 'agent.registered', agent: name, window});
	return entry;
}

/** `unregister NAME`: forget an agent (its processes are left alone). */
export async function unregisterAgent({project, store}: Omit<DirectContext, 'tmux'>, name: string): Promise<boolean> {
	const {result: existed} = await updateRegistry(project.paths.registryFile, entries => {
		const had = name in entries;
		delete entries[name];
		return had;
	});
	if (existed) {
		store.agents.delete(name);
		record(store, {type: 'agent.unregistered', agent: name});
	}

	return existed;
}
