import fs from 'node:fs';
import path from 'node:path';
import React from 'react';
import {render} from 'ink-testing-library';
import type {Handlers} from '../../source/core/api.js';
import {loadConfig} from '../../source/core/config/load.js';
import {resolvePaths} from '../../source/core/config/paths.js';
import {nullLogger} from '../../source/core/logger.js';
import {Orchestrator} from '../../source/core/orchestrator.js';
import {Store} from '../../source/core/store/store.js';
import {ExecTmuxClient} from '../../source/core/tmux/exec-client.js';
import type {UiResult} from '../../source/ui/commands.js';
import {UiRoot} from '../../source/ui/ui-root.js';
import {makeProject} from '../helpers/project.js';
import {waitFor} from '../helpers/wait.js';

/** Keys as a terminal sends them. */
export const keys = {up: '\u001B[A', down: '\u001B[B', tab: '\t', enter: '\r', escape: '\u001B', backspace: '\u007F'};

/** A temp project with a real store and a real orchestrator whose only API commands are `commands`, for the TUI to show. */
export function makeWorld(commands: Handlers = {}, settings: Record<string, unknown> = {}) {
	const project = makeProject({healthPort: 0, session: 'cmux-ui-test', ...settings});
	const paths = resolvePaths(project.root);
	fs.mkdirSync(paths.stateDir, {recursive: true});
	const store = Store.open(paths.dbFile);
	const config = loadConfig(paths.configFile, {});
	const orchestrator = new Orchestrator({config, paths, store, tmux: new ExecTmuxClient(`cmux-ui-unused-${process.pid}`), log: nullLogger, factories: [() => ({name: 'test-commands', commands, async start() {}, async stop() {}})]});
	store.setServiceState('orchestrator', 'healthy', {pid: process.pid});
	return {
		root: project.root,
		paths,
		store,
		orchestrator,
		cleanup() {
			store.close();
			project.cleanup();
		},
	};
}

export type World = ReturnType<typeof makeWorld>;

/** Insert an agent row as the agents service would. */
export function addAgent(world: World, agent: {name: string; state?: string; type?: string; pid?: number; startedAt?: string; restarts?: number}): void {
	world.store.db.prepare('INSERT INTO agents (name, type, state, window, pid, started_at, restarts, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
		.run(agent.name, agent.type ?? 'worker', agent.state ?? 'running', `cmux:${agent.name}`, agent.pid ?? null, agent.startedAt ?? new Date(Date.now() - 65_000).toISOString(), agent.restarts ?? 0, new Date().toISOString());
}

let messageCounter = 0;

/** Insert a message row as the mailbox service would. */
export function addMessage(world: World, message: {from: string; to: string; subject: string; body?: string; state?: string}): string {
	const id = `m-${++messageCounter}`;
	world.store.db.prepare('INSERT INTO messages (id, ts, from_addr, to_addr, subject, body, state) VALUES (?, ?, ?, ?, ?, ?, ?)')
		.run(id, new Date().toISOString(), message.from, message.to, message.subject, message.body ?? null, message.state ?? 'delivered');
	return id;
}

/** Insert an alert row (and its attachment file when `lines` are given) as the log watcher would. */
export function addAlert(world: World, alert: {file: string; count: number; sample: string; lines?: string}): void {
	let attachment: string | null = null;
	if (alert.lines !== undefined) {
		attachment = path.join(world.paths.journalDir, `log-alert-${Date.now()}.md`);
		fs.mkdirSync(world.paths.journalDir, {recursive: true});
		fs.writeFileSync(attachment, alert.lines);
	}

	world.store.db.prepare('INSERT INTO alerts (ts, file, count, sample, attachment) VALUES (?, ?, ?, ?, ?)')
		.run(new Date().toISOString(), alert.file, alert.count, alert.sample, attachment);
}

/** Render the TUI over `world`; `exits` collects what it resolved with. */
export function renderUi(world: World, options: {renderIntervalMs?: number; color?: boolean} = {}) {
	const exits: UiResult[] = [];
	const ui = render(<UiRoot orchestrator={world.orchestrator} onExit={result => exits.push(result)} color={options.color ?? false} renderIntervalMs={options.renderIntervalMs} />);
	const frame = () => ui.lastFrame() ?? '';
	return {
		...ui,
		exits,
		frame,
		/** Wait until the last frame satisfies `check` (no fixed sleeps). */
		async waitForFrame(check: (frame: string) => boolean, what = 'a frame'): Promise<string> {
			return waitFor(() => check(frame()) ? frame() : undefined, {timeout: 5000, interval: 5, what: `${what}; last frame:\n${frame()}`});
		},
		/** Type `input` and wait until the frame changes. */
		async press(input: string, check?: (frame: string) => boolean, what?: string): Promise<string> {
			const before = frame();
			ui.stdin.write(input);
			return this.waitForFrame(check ?? (now => now !== before), what ?? `the frame to change after ${JSON.stringify(input)}`);
		},
	};
}
