import {errorText, StateError, TmuxError} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {standaloneClient} from '../tmux/client.js';
import type {AgentLifecycle} from './lifecycle.js';
import {isLive, type AgentRecord} from './record.js';

interface AgentsHost {
	readonly records: Map<string, AgentRecord>;
	readonly lifecycle: AgentLifecycle;
	settled(): Promise<void>;
	schedule(): void;
}

/** The Controls the agents feature owns: kill, restart, attach, pane text, stop everything. */
export function installAgentControls(context: ServiceContext, host: AgentsHost): void {
	const controls = context.orchestrator.controls;
	const find = (name: string) => {
		const record = host.records.get(name);
		if (!record) {
			throw new StateError(`unknown agent ${name}`);
		}

		return record;
	};

	controls.killAgent = async (name, {force}) => {
		await host.settled();
		await host.lifecycle.kill(find(name), {force, hold: true});
	};

	controls.restartAgent = async name => {
		await host.settled();
		const record = find(name);
		if (!record.command) {
			throw new StateError(`agent ${name} has no command to restart it with`);
		}

		clearTimeout(record.restartTimer);
		if (isLive(record.state) || record.windowId) {
			await host.lifecycle.kill(record, {force: false, hold: false});
		}

		// Asked for by a person: the crash-loop history starts over.
		record.restartTimes = [];
		record.restarts++;
		await host.lifecycle.start(record, {restart: {attempt: 1, manual: true}});
	};

	controls.attachAgent = async name => {
		const record = find(name);
		if (!process.env.TMUX) {
			throw new StateError('cmux-tui is not running inside tmux: attach with `tmux attach -t ' + (record.target ?? name) + '`');
		}

		// A subprocess inherits $TMUX, so tmux switches the client this TUI runs in (not the control client).
		await standaloneClient(context.tmux).run(['switch-client', '-t', record.windowId ?? record.target ?? `${context.config.session}:${name}`]);
	};

	controls.agentPane = async (name, lines) => {
		const record = find(name);
		const target = record.paneId ?? record.windowId ?? `${context.config.session}:${name}`;
		const output = await context.tmux.run(['capture-pane', '-p', '-J', '-t', target, '-S', `-${Math.max(1, lines)}`]);
		while (output.length > 0 && output.at(-1) === '') {
			output.pop();
		}

		return output.slice(-lines).join('\n');
	};

	controls.stopAll = async () => {
		await controls.stopServer?.();
		await host.settled();
		await Promise.all([...host.records.values()].filter(record => record.windowId || isLive(record.state))
			.map(async record => host.lifecycle.kill(record, {force: false, hold: true})));
		// The control connection goes first: it would otherwise re-create the session it was attached to.
		await context.tmux.close();
		await standaloneClient(context.tmux).run(['kill-session', '-t', `=${context.config.session}`]).catch((error: unknown) => {
			// Already gone (every window closed with its agent, or no server left) is what we wanted.
			if (!(error instanceof TmuxError && (error.reason === 'not-found' || error.reason === 'unreachable'))) {
				context.log.log('warn', `stop all: cannot kill session ${context.config.session}: ${errorText(error)}`);
			}
		});
	};
}
