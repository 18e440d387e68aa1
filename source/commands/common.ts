import type {Argv} from 'yargs';
import {openProject, type Project} from '../core/project.js';

/** Options every command accepts. */
export interface GlobalOptions {
	project?: string;
	verbose?: boolean;
	json?: boolean;
}

export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T & GlobalOptions> {
	return yargs
		.option('project', {type: 'string', describe: 'Project root (default: nearest folder holding .cmux/, else the cwd)', global: true})
		.option('verbose', {type: 'boolean', describe: 'Show stack traces with errors', global: true})
		.option('json', {type: 'boolean', describe: 'Print JSON instead of text', global: true}) as Argv<T & GlobalOptions>;
}

/** The project named by the global options. */
export function projectFrom(argv: GlobalOptions): Project {
	return openProject({project: argv.project});
}

/** Print a value as indented JSON. */
export function printJson(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Colour only when stdout is a terminal and NO_COLOR is unset. */
export const useColor = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);

export function paint(text: string, color: 'red' | 'green' | 'yellow' | 'dim'): string {
	const codes = {red: 31, green: 32, yellow: 33, dim: 2};
	return useColor ? `\u001B[${codes[color]}m${text}\u001B[0m` : text;
}
