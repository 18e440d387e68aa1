import fs from 'node:fs';
import path from 'node:path';
import {errorText} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {readRegistryEntry} from '../registry/registry.js';
import {readExitStatus} from './exit-status.js';
import {exitStatusFile} from './launch.js';
import type {AgentLifecycle} from './lifecycle.js';
import {isLive, type AgentRecord} from './record.js';

/** What the exit watch needs of the agents service. */
export interface ExitWatchHost {
	readonly context: ServiceContext;
	readonly records: Map<string, AgentRecord>;
	readonly lifecycle: AgentLifecycle;
	/** Whether exits are acted on: the service is active and not stopped. */
	accepting(): boolean;
}

/**
 * An agent's process exit, seen the moment its launch wrapper records the exit status in
 * `.cmux/run/NAME.exit` (a watch on that folder): under remain-on-exit tmux reports a dead pane only
 * through a format subscription it checks once a second. The exit is handled as the reconciliation
 * would handle the dead pane (`agent.exited` with the code, then the restart policy), for a live
 * agent that no kill or start is busy with; the dead-pane subscription stays as the safety net,
 * and is the only path for a command that replaces the wrapper (`exec …`).
 */
export class ExitWatch {
	private watcher?: fs.FSWatcher;

	constructor(private readonly host: ExitWatchHost) {}

	start(): void {
		const folder = path.dirname(exitStatusFile(this.host.context.paths.root, 'agent'));
		try {
			fs.mkdirSync(folder, {recursive: true, mode: 0o700});
			this.watcher = fs.watch(folder, {persistent: false}, (_event, file) => {
				if (file?.endsWith('.exit')) {
					this.recorded(file.slice(0, -'.exit'.length));
				}
			});
			this.watcher.on('error', error => {
				this.host.context.log.log('warn', `agents: watching ${folder} failed (exits are seen within a second instead): ${errorText(error)}`);
				this.close();
			});
		} catch (error) {
			this.host.context.log.log('warn', `agents: cannot watch ${folder} (exits are seen within a second instead): ${errorText(error)}`);
		}
	}

	close(): void {
		this.watcher?.close();
		this.watcher = undefined;
	}

	/** The wrapper of agent `name` wrote (or its launch removed) the exit status file. */
	private recorded(name: string): void {
		const {context, lifecycle} = this.host;
		const record = this.host.records.get(name);
		if (!record?.windowId || !this.host.accepting() || record.busy || !isLive(record.state)) {
			return;
		}

		const status = readExitStatus(exitStatusFile(context.paths.root, name));
		if (status === undefined) {
			// Emptied by a launch, not written yet.
			return;
		}

		let read: ReturnType<typeof readRegistryEntry>;
		try {
			// Only whether `agents kill` in another process is stopping it: this entry alone is read.
			read = readRegistryEntry(context.paths.registryFile, name);
		} catch (error) {
			read = {corrupt: errorText(error)};
		}

		if (read.corrupt !== undefined) {
			// The reconciliation that the dead pane brings moves it aside and rebuilds it first.
			context.log.log('warn', `agents: ${name} exited, but the registry cannot be read: ${read.corrupt}`);
			return;
		}

		const pane = {
			session: context.config.session, windowId: record.windowId, windowName: name, target: record.target ?? `${context.config.session}:${name}`,
			paneId: record.paneId ?? '', pid: record.pid ?? 0, dead: true, deadStatus: status,
		};
		lifecycle.exited(record, pane, read.entry).catch((error: unknown) => {
			context.log.log('warn', `agents: handling the exit of ${name} failed: ${errorText(error)}`);
		});
	}
}
