import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

// `npm run bench`: runs every bench/<feature>.ts (compiled to build/bench/) and writes the figures
// to bench/results/latest.json. `npm run bench -- logs` runs only the named ones.
const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = fs.readdirSync(here)
	.filter(file => file.endsWith('.js') && file !== 'run.js')
	.map(file => file.slice(0, -3))
	.filter(name => only.length === 0 || only.includes(name))
	.sort();

const results: Record<string, unknown> = {machine: {node: process.version, cpus: (await import('node:os')).cpus().length, date: new Date().toISOString()}};
for (const name of modules) {
	console.log(`\n== bench ${name}`);
	const started = Date.now();
	try {
		const module = await import(path.join(here, `${name}.js`)) as {run: () => Promise<Record<string, unknown>>};
		results[name] = await module.run();
	} catch (error) {
		results[name] = {error: (error as Error).message};
		process.exitCode = 1;
	}

	console.log(JSON.stringify(results[name], null, 2));
	console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const out = path.resolve(here, '..', '..', 'bench', 'results');
fs.mkdirSync(out, {recursive: true});
fs.writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.join(out, 'latest.json')}`);
