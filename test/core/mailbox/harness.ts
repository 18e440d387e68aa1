import fs from 'node:fs';
import path from 'node:path';
import type {Clock} from '../../../source/core/clock.js';
import {configSchema} from '../../../source/core/config/schema.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {MailboxService} from '../../../source/core/mailbox/service.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {openStore} from '../../../source/core/project.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {fixturesDir} from '../../helpers/paths.js';
import {makeProject} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

export const echoAgent = path.join(fixturesDir, 'agents', 'echo-agent.js');

/** A temp project, a private tmux server with session `cmux`, and a mailbox service on them. */
export async function mailboxHarness(config: Record<string, unknown> = {}) {
	const project = makeProject({healthPort: 0, ...config});
	const tmux = privateTmux('mbx');
	await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'shell', '-x', '200', '-y', '50']);
	const paths = resolvePaths(project.root);
	const parsed = configSchema.parse({healthPort: 0, ...config});
	let orchestrator: Orchestrator | undefined;
	let store = openStore(paths);
	const events: CmuxEvent[] = [];
	const harness = {
		root: project.root,
		paths,
		tmux,
		events,
		store: () => store,
		/** Start an echo agent in window `name`; returns the file it logs received lines to. */
		async agent(name: string, env: Record<string, string> = {}): Promise<string> {
			const log = path.join(project.root, `${name}.echo.log`);
			const envArgs = Object.entries({ECHO_LOG: log, ...env}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
			await tmux.run(['new-window', '-d', '-t', 'cmux', '-n', name, ...envArgs, process.execPath, echoAgent]);
			await waitFor(async () => (await tmux.run(['capture-pane', '-p', '-t', `cmux:=${name}`])).includes((env.ECHO_PROMPT ?? 'PROMPT>').trim()), {what: `${name} prompt`});
			return log;
		},
		/** Lines an echo agent received, in order. */
		received(log: string): string[] {
			return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(line => (JSON.parse(line) as {line: string}).line) : [];
		},
		async start(options: {confirmMs?: number; clock?: Clock} = {}) {
			orchestrator = new Orchestrator({config: parsed, paths, store, tmux: new ExecTmuxClient(tmux.socket), log: nullLogger, ...(options.clock ? {clock: options.clock} : {}), factories: [context => new MailboxService(context, {confirmMs: options.confirmMs})]});
			orchestrator.on('event', event => events.push(event));
			await orchestrator.start();
			return orchestrator;
		},
		async stop() {
			await orchestrator?.stop();
			orchestrator = undefined;
		},
		/** Stop and reopen the store, like a new orchestrator process would. */
		async restart(options: {confirmMs?: number} = {}) {
			await harness.stop();
			store.close();
			store = openStore(paths);
			return harness.start(options);
		},
		state(id: string) {
			return store.db.prepare('SELECT state, attempts, last_error AS lastError, maybe_duplicate AS maybeDuplicate FROM messages WHERE id = ?').get(id) as
				{state: string; attempts: number; lastError: string | null; maybeDuplicate: number} | undefined;
		},
		async waitState(id: string, state: string, timeout = 15_000) {
			return waitFor(() => harness.state(id)?.state === state, {timeout, what: `${id} ${state} (now ${JSON.stringify(harness.state(id))})`});
		},
		async cleanup() {
			await harness.stop();
			store.close();
			await tmux.kill();
			project.cleanup();
		},
	};
	return harness;
}
