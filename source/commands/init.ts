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
		// Point editors at the schema shipped with the package, wherever the project is.
		const example = JSON.parse(fs.readFileSync(path.join(exampleDir, 'config.json'), 'utf8')) as Record<string, unknown>;
		example.$schema = path.relative(paths.stateDir, path.join(exampleDir, 'config.schema.json'));
		fs.writeFileSync(paths.configFile, `${JSON.stringify(example, null, 2)}\n`, {flag: 'wx', mode: 0o600});
		process.stdout.write(`wrote ${paths.configFile}\n`);
	},
};
