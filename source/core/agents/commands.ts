import type {Handlers} from '../api.js';
import {errorText, StateError, UsageError} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import type {RegistryEntry} from '../registry/entry.js';
import {standaloneClient} from '../tmux/client.js';
import {alreadyGone} from '../tmux/gone.js';
import type {AgentLifecycle} from './lifecycle.js';
import {isLive, type AgentRecord} from './record.js';
import {registerScriptAgent} from './registration.js';
import {entryTarget} from '../registry/cmux-entry.js';

/** What the agents commands need of the agents service. */
export interface AgentsHost {
	readonly records: Map<string, AgentRecord>;
	readonly lifecycle: AgentLifecycle;
	/** Connect to tmux and reconcile, when the service was idle (no agent configured or registered). */
	activate(): Promise<void>;
	settled(): Promise<void>;
	/** Run `action` with no reconciliation beside it. */
	exclusive<T>(action: () => Promise<T>): Promise<T>;
}

/**
 * The API commands the agents service implements: spawn, kill, restart, register, unregister,
 * attach, pane text, stop everything. Each goes through the service's own records, so the
 * reconciliation and the restart policy know of it (a killed agent is held, not restarted).
 */
export function agentCommands(context: ServiceContext, host: AgentsHost): Handlers {
	const find = (name: string) => {
		const record = host.records.get(name);
		if (!record) {
			throw new StateError(`unknown agent ${name}`);
		}

		return record;
	};

	const entryOf = (name: string): RegistryEntry => readRegistry(context.paths.registryFile).registry[name] ?? {name, type: find(name).type};
	/** Connected to tmux, then alone with the records: reconciliation waits until the command is done. */
	const alone = async <T>(action: () => Promise<T>, activate = true): Promise<T> => {
		if (activate) {
			await host.activate();
		}

		return host.exclusive(action);
	};

	const kill = async (record: AgentRecord, force: boolean, hold: boolean) => ({agent: record.name, ...await host.lifecycle.kill(record, {force, hold})});

	return {
		'agents.spawn': async ({name, command, type}) => alone(async () => {
			const existing = host.records.get(name);
			if (existing && (isLive(existing.state) || existing.busy)) {
				throw new StateError(`agent ${name} is already running in ${existing.target ?? '?'} (pid ${existing.pid ?? '?'})`);
			}

			const run = command ?? existing?.command ?? readRegistry(context.paths.registryFile).registry[name]?.command;
			if (!run) {
				throw new UsageError(`agent ${name} is not in the config: give its --command`);
			}

			const record: AgentRecord = existing ?? {name, type: type ?? 'worker', state: 'missing', restarts: 0, restartTimes: [], busy: false, held: false};
			Object.assign(record, {command: run, held: false, ...(type ? {type} : {})});
			host.records.set(name, record);
			const failure = await host.lifecycle.start(record);
			if (failure !== undefined) {
				throw new StateError(`starting agent ${name} failed: ${failure}`);
			}

			return entryOf(name);
		}),

		'agents.kill': async ({name, force}) => alone(async () => {
			const record = find(name);
			if (!record.windowId && !isLive(record.state)) {
				throw new StateError(`agent ${name} is not running`);
			}

			return kill(record, force, true);
		}, false),

		'agents.restart': async ({name, resume}) => alone(async () => {
			const record = find(name);
			record.resume = resume;
			if (!record.command) {
				throw new StateError(`agent ${name} has no command to restart it with`);
			}

			clearTimeout(record.restartTimer);
			if (isLive(record.state) || record.windowId) {
				const killed = await kill(record, false, false);
				if (killed.survivors.length > 0) {
					throw new StateError(`agent ${name}: ${killed.survivors.length} process(es) survived the kill (pids ${killed.survivors.join(', ')}); not restarted`);
				}
			}

			// Asked for by a person: the crash-loop history starts over.
			record.restartTimes = [];
			record.restarts++;
			record.held = false;
			const failure = await host.lifecycle.start(record, {restart: {attempt: 1, manual: true}});
			if (failure !== undefined) {
				throw new StateError(`restarting agent ${name} failed: ${failure}`);
			}

			return entryOf(name);
		}),

		register: async ({name, type, window}) => alone(async () => {
			// A bare window name (as CMUX's Python services write it) is that window in the session.
			const target = entryTarget(window, context.config.session, name);
			const entry = await registerScriptAgent(context.paths.registryFile, context.tmux, name, {window: target, ...(type ? {type} : {})});
			const record: AgentRecord = host.records.get(name) ?? {name, type: entry.type, state: 'missing', restarts: 0, restartTimes: [], busy: false, held: false};
			host.records.set(name, record);
			record.type = entry.type;
			if (entry.window_id) {
				Object.assign(record, {windowId: entry.window_id, paneId: entry.pane_id, pid: entry.pid, target, held: false});
				host.lifecycle.setState(record, 'running');
			}

			context.emit({type: 'agent.registered', agent: name, window: target});
			return entry;
		}),

		unregister: async ({name}) => alone(async () => {
			const {result: removed} = await updateRegistry(context.paths.registryFile, entries => {
				const had = name in entries;
				delete entries[name];
				return had;
			});
			const record = host.records.get(name);
			if (removed) {
				if (record && !record.config) {
					clearTimeout(record.restartTimer);
					host.records.delete(name);
				}

				context.store.agents.delete(name);
				context.emit({type: 'agent.unregistered', agent: name});
			}

			return {agent: name, removed};
		}, false),

		async 'agents.attach'({name}) {
			const record = find(name);
			if (!process.env.TMUX) {
				throw new StateError('cmux-tui is not running inside tmux: attach with `tmux attach -t ' + (record.target ?? name) + '`');
			}

			// A subprocess inherits $TMUX, so tmux switches the client this TUI runs in (not the control client).
			await standaloneClient(context.tmux).run(['switch-client', '-t', record.windowId ?? record.target ?? `${context.config.session}:${name}`]);
			return {agent: name};
		},

		async 'agents.pane'({name, lines}) {
			const record = find(name);
			const target = record.paneId ?? record.windowId ?? `${context.config.session}:${name}`;
			const output = await context.tmux.run(['capture-pane', '-p', '-J', '-t', target, '-S', `-${lines}`]);
			while (output.length > 0 && output.at(-1) === '') {
				output.pop();
			}

			return {agent: name, text: output.slice(-lines).join('\n')};
		},

		async stopAll() {
			const server = context.api.has('server.stop') ? await context.api.call('server.stop', {}) : undefined;
			await host.settled();
			const live = [...host.records.values()].filter(record => record.windowId || isLive(record.state));
			const killed = await Promise.all(live.map(async record => kill(record, false, true)));
			// The control connection goes first: it would otherwise re-create the session it was attached to.
			await context.tmux.close();
			await standaloneClient(context.tmux).run(['kill-session', '-t', `=${context.config.session}`]).catch(alreadyGone).catch((error: unknown) => {
				context.log.log('warn', `stop all: cannot kill session ${context.config.session}: ${errorText(error)}`);
				return [];
			});
			return {agents: killed.map(result => result.agent), survivors: killed.reduce((sum, result) => sum + result.survivors.length, 0), ...(server ? {server: server.ok} : {})};
		},
	};
}
