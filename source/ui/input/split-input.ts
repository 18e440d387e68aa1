/** A piece of typed input: a run of text, or one editing key. */
export type InputPart = {kind: 'text'; text: string} | {kind: 'tab' | 'enter' | 'backspace'};

const controls: Record<string, InputPart['kind']> = {'\t': 'tab', '\r': 'enter', '\n': 'enter', '\u007F': 'backspace', '\b': 'backspace'};

/**
 * Split a chunk of input into text runs and editing keys. Fast typing or a paste reaches Ink as
 * one chunk (`boss\thello\r`), which it hands over whole; text fields replay it key by key.
 * Other control characters are dropped: they must never end up in a message or a filter.
 */
export function splitInput(input: string): InputPart[] {
	const parts: InputPart[] = [];
	let text = '';
	for (const char of input) {
		const kind = controls[char];
		if (kind) {
			if (text) {
				parts.push({kind: 'text', text});
				text = '';
			}

			parts.push({kind} as InputPart);
		} else if (char >= ' ' && char !== '\u007F') {
			text += char;
		}
	}

	if (text) {
		parts.push({kind: 'text', text});
	}

	return parts;
}
