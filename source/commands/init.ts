import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {CommandModule} from 'yargs';
import {findProjectRoot, resolvePaths} from '../core/config/paths.js';
import {StateError} from '../core/errors.js';
import {prepareStateDir} from '../core/project.js';
import type {GlobalOptions} from './common.js';

/** The example state folder shipped with the package. */
export const exampleDir = fileURLToPath(new URL('../../.cmux.example/', import.meta.url));

export const initCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'init',
	describe: 'Write .cmux/config.json from the example (never overwrites)',
	handler(argv) {
		const root = argv.project ? path.resolve(argv.project) : findProjectRoot(process.cwd());
		const paths = resolvePaths(root);
		if (fs.existsSync(paths.configFile)) {
			throw new StateError(`${paths.configFile} already exists; init never overwrites it`);
		}

		prepareStateDir(paths);
		// A copy of the schema beside the config: a path into the package would dangle once npx's
		// cache is cleaned or the package moves, and editors must not need the network.
		const example = JSON.parse(fs.readFileSync(path.join(exampleDir, 'config.json'), 'utf8')) as Record<string, unknown>;
		const schemaFile = path.join(paths.stateDir, 'config.schema.json');
		fs.copyFileSync(path.join(exampleDir, 'config.schema.json'), schemaFile);
		fs.chmodSync(schemaFile, 0o600);
		example.$schema = './config.schema.json';
		fs.writeFileSync(paths.configFile, `${JSON.stringify(example, null, 2)}\n`, {flag: 'wx', mode: 0o600});
		process.stdout.write(`wrote ${paths.configFile}\n`);
	},
};
