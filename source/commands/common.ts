import type {Argv} from 'yargs';
import {neutralise} from '../core/mailbox/render.js';
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

/** Colour `text` (when colour is on); its own control characters are neutralised first, so only ours reach the terminal. */
export function paint(text: string, color: 'red' | 'green' | 'yellow' | 'dim'): string {
	const codes = {red: 31, green: 32, yellow: 33, dim: 2};
	return useColor ? `\u001B[${codes[color]}m${clean(text)}\u001B[0m` : clean(text);
}

/**
 * Text for a person's terminal: control characters shown as caret text (`^[`), exactly as the
 * mailbox shows them in panes, so no value (an agent name, a message's sender, an error) can move
 * the cursor, retitle the terminal or write its clipboard. Newline and tab stay.
 */
export function clean(text: string): string {
	return neutralise(text);
}
