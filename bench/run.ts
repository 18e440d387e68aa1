import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {isBenchResult, machine, markdown, mergeResults} from './lib/report.js';

// `npm run bench`: runs every bench/<name>.ts (compiled to build/bench/), merges the figures into
// bench/results/latest.json and rewrites BENCHMARKS.md from it (both committed). `npm run bench -- logs`
// runs only the named ones; the others keep their last figures. `BENCH_RUNS=3` runs each bench
// three times and reports the median of each figure.
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const only = process.argv.slice(2);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const modules = fs.readdirSync(here)
	.filter(file => file.endsWith('.js') && file !== 'run.js')
	.map(file => file.slice(0, -3))
	.filter(name => only.length === 0 || only.includes(name))
	.sort();

const fresh: Record<string, unknown> = {};
for (const name of modules) {
	console.log(`\n== bench ${name}`);
	const started = Date.now();
	const at = {date: new Date().toISOString(), machine: machine(), runs};
	const results: unknown[] = [];
	try {
		const module = await import(path.join(here, `${name}.js`)) as {run: () => Promise<unknown>};
		for (let index = 0; index < runs; index++) {
			results.push(await module.run());
			if (runs > 1) {
				console.log(`run ${index + 1}/${runs}:`, JSON.stringify(results.at(-1)));
			}
		}

		fresh[name] = median(results, at);
	} catch (error) {
		fresh[name] = {error: (error as Error).message};
		process.exitCode = 1;
	}

	console.log(JSON.stringify(fresh[name], null, 2));
	console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Figures of several runs of one bench: each numeric field is the median; details of every run are kept. */
function median(results: unknown[], run: Record<string, unknown>): unknown {
	const first = results[0];
	if (!isBenchResult(first)) {
		return results.length === 1 ? first : {runs: results};
	}

	const all = results.filter(result => isBenchResult(result));
	const mid = <T>(values: T[], key: (value: T) => number) => [...values].sort((a, b) => key(a) - key(b))[Math.floor((values.length - 1) / 2)]!;
	const figures = first.figures.map((figure, index) => {
		const same = all.map(result => result.figures[index]!).filter(other => other.name === figure.name);
		// The run with the median value supplies the whole row (its baseline and ratio belong with it).
		return {...mid(same, other => other.value), ...(same.length > 1 ? {note: [mid(same, other => other.value).note, `runs: ${same.map(other => other.value).join(', ')}`].filter(Boolean).join('; ')} : {})};
	});
	return {...first, figures, details: {run, ...(all.length > 1 ? {runs: all.map(result => result.details)} : first.details)}};
}

const out = path.join(repo, 'bench', 'results');
fs.mkdirSync(out, {recursive: true});
const file = path.join(out, 'latest.json');
const merged = mergeResults(file, fresh);
fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
fs.writeFileSync(path.join(repo, 'BENCHMARKS.md'), markdown(merged));
console.log(`\nwrote ${file} and ${path.join(repo, 'BENCHMARKS.md')}`);
