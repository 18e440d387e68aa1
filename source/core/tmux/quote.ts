import {TmuxError} from '../errors.js';

/**
 * Quote one argument for tmux's command parser (control mode reads whole command lines). Double
 * quotes with escapes: `"`, `\` and `$` (environment expansion) are escaped, and every control
 * character becomes an escape, because a raw newline would end the command and an empty line
 * detaches a control client. `#` and `;` are literal inside quotes.
 */
export function quoteArgument(value: string): string {
	let quoted = '"';
	for (const char of value) {
		const code = char.codePointAt(0)!;
		if (char === '"' || char === '\\' || char === '$') {
			quoted += `\\${char}`;
		} else if (char === '\n') {
			quoted += '\\n';
		} else if (char === '\t') {
			quoted += '\\t';
		} else if (char === '\r') {
			quoted += '\\r';
		} else if (code === 0) {
			throw new TmuxError('a tmux argument cannot contain a NUL character');
		} else if (code < 0x20 || code === 0x7F) {
			quoted += `\\${code.toString(8).padStart(3, '0')}`;
		} else {
			quoted += char;
		}
	}

	return `${quoted}"`;
}

/**
 * One control-mode command line: every argument quoted, so nothing in it is read as syntax. An
 * argument that is exactly `;` separates commands, as it does in tmux's own argv (ExecTmuxClient);
 * the commands of one line run back to back, with no event handled between them.
 */
export function commandLine(args: readonly string[]): string {
	if (args.length === 0) {
		throw new TmuxError('an empty tmux command (an empty line would detach the control client)');
	}

	return args.map(argument => argument === ';' ? ';' : quoteArgument(argument)).join(' ');
}
