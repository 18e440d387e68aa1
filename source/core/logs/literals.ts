/**
 * The plain text every match of `pattern` must contain, when the pattern is a literal word with
 * optional anchors (`\bERROR\b`, `^FATAL`, `Out of memory`); undefined for anything richer. Lets
 * the scanner look for candidate lines with `indexOf`, which is many times faster than running a
 * regular expression over every line.
 */
export function requiredLiteral(pattern: string): string | undefined {
	let literal = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index]!;
		if (char === '\\') {
			const next = pattern[index + 1];
			if (next === undefined) {
				return undefined;
			}

			index++;
			if (next === 'b') {
				continue;
			}

			// An escaped punctuation character is itself; `\d`, `\w`, `\s`, … are classes.
			if (/[A-Za-z0-9]/.test(next)) {
				return undefined;
			}

			literal += next;
			continue;
		}

		if ((char === '^' && index === 0) || (char === '$' && index === pattern.length - 1)) {
			continue;
		}

		if ('^$.|?*+()[]{}'.includes(char)) {
			return undefined;
		}

		literal += char;
	}

	return literal.length > 0 ? literal : undefined;
}
