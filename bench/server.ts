import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {isAlive} from '../source/core/process/table.js';
import {portHolders} from '../source/core/server/port-owner.js';
import {cliPath, fixturesDir} from '../test/helpers/paths.js';
import {compare, type BenchResult} from './lib/report.js';
import {freePort, percentile, round, sleep, startProduct} from './lib/product.js';

const trials = Number(process.env.BENCH_SERVER_TRIALS ?? 20);
const grace = 500;

/**
 * `npm run bench -- server`: `cmux-tui server stop`, as a user types it, against a separate
 * `cmux-tui run --no-ui` whose dev server ignores SIGTERM and has 2 forked workers that ignore it
 * too and a double-forked daemon: `stopTimeout` (500 ms) of grace, then SIGKILL to the whole tree.
 * Targets: the stop within grace + 200 ms, no survivor, the port free after every stop.
 */
export async function run(): Promise<BenchResult> {
	const port = await freePort();
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-server-'));
	const pidsFile = path.join(scratch, 'pids.json');
	const product = await startProduct({server: {
		command: `node ${JSON.stringify(path.join(fixturesDir, 'server', 'dev-server.js'))}`, port, stopTimeout: `${grace}ms`, startTimeout: '20s',
		env: {IGNORE_SIGTERM: '1', WORKERS: '2', DAEMON: '1', PIDS_FILE: pidsFile},
	}});
	const server = async (action: 'start' | 'stop') => execa(process.execPath, [cliPath, 'server', action, '--json', '--project', product.root], {stdin: 'ignore'});
	const stops: number[] = [];
	const commands: number[] = [];
	let survivors = 0;
	let portFree = 0;
	let leader = 0;
	try {
		for (let trial = 0; trial < trials; trial++) {
			if (trial > 0) {
				await server('start');
			}

			let started = 0;
			await product.waitFor(event => event.type === 'server.started' && ++started === trial + 1, 30_000);
			const pids = await readPids(pidsFile, leader);
			leader = pids[0]!;
			const at = performance.now();
			await server('stop');
			commands.push(performance.now() - at);
			let seen = 0;
			const stopped = await product.waitFor(event => event.type === 'server.stopped' && ++seen === trial + 1, 30_000);
			stops.push(Number(stopped.ms));
			const left = pids.filter(pid => isAlive(pid));
			survivors += left.length;
			portFree += stopped.portFree === true && portHolders(port).length === 0 ? 1 : 0;
			for (const pid of left) {
				process.kill(pid, 'SIGKILL');
			}
		}
	} finally {
		await product.stop();
		fs.rmSync(scratch, {recursive: true, force: true});
	}

	const overGrace = (value: number) => value <= grace + 200;
	return {
		title: 'Dev server: stop of a tree that ignores SIGTERM',
		command: 'npm run bench -- server',
		figures: [
			compare({name: 'stop, median (leader, 2 workers, a double-forked daemon, all ignoring SIGTERM)', target: `≤ ${grace + 200} ms (stopTimeout ${grace} ms + 200)`, value: round(percentile(stops, 50), 0), unit: 'ms',
				note: `${trials} stops, timed by the product from SIGTERM to the port free`}, {higherIsBetter: false, meets: overGrace}),
			compare({name: 'stop, slowest', target: `≤ ${grace + 200} ms`, value: round(Math.max(...stops), 0), unit: 'ms'}, {higherIsBetter: false, meets: overGrace}),
			compare({name: '`cmux-tui server stop` as typed, median', target: '', value: round(percentile(commands, 50), 0), unit: 'ms',
				note: `the CLI's own start-up included; slowest ${round(Math.max(...commands), 0)} ms`}, {higherIsBetter: false}),
			compare({name: 'processes left after the stops', target: '0', value: survivors, unit: ''}, {higherIsBetter: false, meets: value => value === 0}),
			compare({name: 'stops after which the port was free', target: `${trials} of ${trials}`, value: portFree, unit: `of ${trials}`}, {higherIsBetter: true, meets: value => value === trials}),
		],
		details: {stopsMs: stops.map(value => round(value, 0)), commandsMs: commands.map(value => round(value, 0))},
	};
}

/** The server's pids (leader, workers, daemon) once a leader other than `previous` has written them. */
async function readPids(file: string, previous: number): Promise<number[]> {
	for (let waited = 0; waited < 10_000; waited += 20) {
		try {
			const value = JSON.parse(fs.readFileSync(file, 'utf8')) as {server: number; workers: number[]; daemon: number | null};
			if (value.server !== previous) {
				return [value.server, ...value.workers, ...(value.daemon ? [value.daemon] : [])];
			}
		} catch {
			// Not written yet (the file is replaced atomically, so never half-written).
		}

		await sleep(20);
	}

	throw new Error(`the dev server wrote no new pids to ${file} within 10 s`);
}
