import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type {EventInput} from '../../../source/core/events.js';
import {openProject, type Project} from '../../../source/core/project.js';
import {ServerManager} from '../../../source/core/server/manager.js';
import {isAlive} from '../../../source/core/process/table.js';
import {fixturesDir} from '../../helpers/paths.js';
import {freePort, makeProject} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';

export const devServer = path.join(fixturesDir, 'server', 'dev-server.js');

/** A temp project whose server is the dev-server fixture with `env`, and a manager for it. */
export async function serverProject(env: Record<string, string> = {}, server: Record<string, unknown> = {}) {
	const port = await freePort();
	const {root, cleanup} = makeProject({});
	const pidsFile = path.join(root, 'pids.json');
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({
		healthPort: 0,
		server: {
			command: `node '${devServer}'`, port, healthUrl: `http://127.0.0.1:${port}/health`,
			interval: '200ms', failures: 2, stopTimeout: '500ms', startTimeout: '10s', env: {PIDS_FILE: pidsFile, ...env}, ...server,
		},
	}));
	const project: Project = openProject({project: root, env: {}});
	const events: EventInput[] = [];
	const manager = new ServerManager({config: project.config.server!, paths: project.paths, emit: event => events.push(event)});
	const spawned: number[] = [];
	return {
		root, port, project, events, manager, pidsFile,
		/** Every pid the fixture reported (server, workers, daemon). */
		async pids(): Promise<number[]> {
			const value = await waitFor(() => {
				try {
					return JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as {server: number; workers: number[]; daemon: number | null};
				} catch {
					return undefined;
				}
			}, {what: 'the pids file'});
			const all = [value.server, ...value.workers, ...(value.daemon ? [value.daemon] : [])];
			spawned.push(...all);
			return all;
		},
		async cleanup() {
			await manager.stop('test-cleanup').catch(() => undefined);
			for (const pid of spawned) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
			}

			cleanup();
		},
	};
}

/** A process that is not ours listening on `port` (the port-holder fixture). */
export async function stranger(port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, [path.join(fixturesDir, 'server', 'port-holder.js')], {env: {...process.env, PORT: String(port)}, stdio: ['ignore', 'pipe', 'inherit']});
	await new Promise<void>(resolve => {
		child.stdout!.once('data', () => {
			resolve();
		});
	});
	return child;
}

export function alive(pids: number[]): number[] {
	return pids.filter(pid => isAlive(pid));
}
