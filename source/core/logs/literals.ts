const special = new Set([...'\\^$.|?*+()[]{}']);

/**
 * The literals one of which every match of `patterns` contains, or undefined when some pattern is
 * not a plain literal, a word-bounded literal or an alternation of literals (then there is no
 * prefilter and every byte goes through the full pattern).
 */
export function requiredLiterals(patterns: readonly string[]): string[] | undefined {
	const literals: string[] = [];
	for (const pattern of patterns) {
		let body = pattern.replaceAll(String.raw`\b`, '');
		body = body.startsWith('^') ? body.slice(1) : body;
		body = body.endsWith('$') && !body.endsWith(String.raw`\$`) ? body.slice(0, -1) : body;
		const group = /^\((?:\?:)?([^()]*)\)$/.exec(body);
		const alternatives = group ? group[1]!.split('|') : [body];
		for (const alternative of alternatives) {
			const literal = unescape(alternative);
			// A line never holds "\n"; U+FFFD may come from bytes that are not UTF-8, not from these bytes.
			if (literal === undefined || literal === '' || literal.includes('\n') || literal.includes('\uFFFD')) {
				return undefined;
			}

			literals.push(literal);
		}
	}

	return literals.length > 0 ? literals : undefined;
}

/** The text `source` matches when it has no regex syntax but escaped punctuation; undefined otherwise. */
function unescape(source: string): string | undefined {
	let text = '';
	for (let index = 0; index < source.length; index++) {
		const char = source[index]!;
		if (char === '\\') {
			const next = source[index + 1];
			if (next === undefined || /[\dA-Za-z]/.test(next)) {
				return undefined;
			}

			text += next;
			index++;
		} else if (special.has(char)) {
			return undefined;
		} else {
			text += char;
		}
	}

	return text;
}
