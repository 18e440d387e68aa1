import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {validateConfig} from '../source/core/config/load.js';
import {resolvePaths} from '../source/core/config/paths.js';
import {isAlive} from '../source/core/process/table.js';
import {ServerManager} from '../source/core/server/manager.js';
import {portHolders} from '../source/core/server/port-owner.js';

const trials = 20;
const grace = 500;

/**
 * Stop time of a SIGTERM-ignoring dev server with 2 forked workers and a double-forked daemon:
 * `grace` ms to exit, then SIGKILL. Target: median and max ≤ grace + 200 ms, 0 survivors, port
 * free after every stop.
 */
export async function run(): Promise<Record<string, unknown>> {
	const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
	const devServer = path.join(repo, 'fixtures', 'server', 'dev-server.js');
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-server-')));
	const times: number[] = [];
	let survivors = 0;
	let portFree = 0;
	try {
		for (let trial = 0; trial < trials; trial++) {
			const port = 20_000 + Math.floor(Math.random() * 20_000);
			const pidsFile = path.join(root, `pids-${trial}.json`);
			const config = validateConfig({server: {command: `node '${devServer}'`, port, stopTimeout: `${grace}ms`, startTimeout: '20s',
				env: {IGNORE_SIGTERM: '1', WORKERS: '2', DAEMON: '1', PIDS_FILE: pidsFile}}}).server!;
			const manager = new ServerManager({config, paths: resolvePaths(root), emit() {}});
			await manager.start();
			const pids = await readPids(pidsFile);
			const started = performance.now();
			const result = await manager.stop();
			times.push(performance.now() - started);
			const left = pids.filter(pid => isAlive(pid));
			survivors += left.length;
			portFree += result.portFree && portHolders(port).length === 0 ? 1 : 0;
			for (const pid of left) {
				process.kill(pid, 'SIGKILL');
			}
		}
	} finally {
		fs.rmSync(root, {recursive: true, force: true});
	}

	times.sort((a, b) => a - b);
	const figures = {
		trials, graceMs: grace,
		stopMedianMs: Math.round(times[Math.floor(trials / 2)]!), stopMaxMs: Math.round(times.at(-1)!),
		overGraceMedianMs: Math.round(times[Math.floor(trials / 2)]! - grace), overGraceMaxMs: Math.round(times.at(-1)! - grace),
		survivors, portFreeAfterStop: `${portFree}/${trials}`,
	};
	console.log('server stop:', figures);
	return figures;
}

async function readPids(file: string): Promise<number[]> {
	for (let waited = 0; waited < 10_000; waited += 20) {
		try {
			const value = JSON.parse(fs.readFileSync(file, 'utf8')) as {server: number; workers: number[]; daemon: number | null};
			return [value.server, ...value.workers, ...(value.daemon ? [value.daemon] : [])];
		} catch {
			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}
	}

	throw new Error(`no pids file ${file}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	await run();
}
