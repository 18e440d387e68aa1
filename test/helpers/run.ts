import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {execa, type ResultPromise} from 'execa';
import type {CmuxEvent} from '../../source/core/events.js';
import {Store} from '../../source/core/store/store.js';
import {cliPath} from './paths.js';
import {makeProject, runCli, type CliResult} from './project.js';
import {privateTmux} from './tmux.js';
import {waitFor} from './wait.js';

type Tmux = ReturnType<typeof privateTmux>;

/** A project on its own private tmux server (config `tmuxSocket`), for real orchestrators and CLI runs. */
export function socketProject(config: Record<string, unknown> = {}) {
	const tmux = privateTmux('ctl');
	const project = makeProject({healthPort: 0, session: 'ctl', tmuxSocket: tmux.socket, ...config});
	return {
		root: project.root,
		tmux,
		dbFile: path.join(project.root, '.cmux', 'cmux.db'),
		socketFile: path.join(project.root, '.cmux', 'cmux.sock'),
		/** Run the real CLI on this project. */
		async cli(args: string[], options: {input?: string} = {}): Promise<CliResult> {
			return runCli([...args, '--project', project.root], {cwd: project.root, timeout: 60_000, ...options});
		},
		/** Events of `type` in cmux.db (optionally about `agent`). */
		stored(type: string, agent?: string): CmuxEvent[] {
			const store = Store.open(path.join(project.root, '.cmux', 'cmux.db'));
			try {
				return store.events({types: [type], limit: 10_000}).filter(event => agent === undefined || (event as {agent?: string}).agent === agent);
			} finally {
				store.close();
			}
		},
		async cleanup() {
			await tmux.kill();
			project.cleanup();
		},
	};
}

export type SocketProject = ReturnType<typeof socketProject>;

/** `cmux-tui run --no-ui --json --project DIR` as a child process; its events as they are printed. */
export async function startOrchestrator(project: SocketProject): Promise<RunningCli> {
	const child = execa(process.execPath, [cliPath, 'run', '--no-ui', '--json', '--project', project.root], {
		cwd: project.root, env: {NO_COLOR: '1'}, reject: false, stdin: 'ignore',
	});
	const events: CmuxEvent[] = [];
	readline.createInterface({input: child.stdout!}).on('line', line => {
		events.push(JSON.parse(line) as CmuxEvent);
	});
	const running: RunningCli = {
		child,
		events,
		of: (type, agent) => events.filter(event => event.type === type && (agent === undefined || (event as {agent?: string}).agent === agent)),
		async next(type, match = () => true, timeout = 30_000) {
			return waitFor(() => events.find(event => event.type === type && match(event)), {timeout, what: type});
		},
		async mark() {
			// A message to `user` is received and delivered at once: a later event that proves the
			// stream has caught up with everything that happened before it.
			const subject = `mark-${Date.now()}-${Math.random()}`;
			const sent = await project.cli(['send', 'user', subject]);
			if (sent.exitCode !== 0) {
				throw new Error(`send failed: ${sent.stderr}`);
			}

			await running.next('message.received', event => (event as {subject?: string}).subject === subject);
		},
		async stop() {
			child.kill('SIGINT');
			await child;
		},
	};
	await running.next('orchestrator.started');
	await waitFor(() => fs.existsSync(project.socketFile), {what: 'the control socket'});
	return running;
}

export interface RunningCli {
	child: ResultPromise;
	events: CmuxEvent[];
	of(type: string, agent?: string): CmuxEvent[];
	next(type: string, match?: (event: CmuxEvent) => boolean, timeout?: number): Promise<CmuxEvent>;
	/** Send a marker message and wait for its event: everything before it is in `events`. */
	mark(): Promise<void>;
	stop(): Promise<void>;
}

export type {Tmux};
