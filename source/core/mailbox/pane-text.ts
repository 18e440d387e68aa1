/** Tabs show as spaces in a pane, runs of spaces may differ and wrapping splits lines: compare with whitespace folded. */
export function squash(text: string): string {
	return text.replaceAll(/\s+/g, ' ').trim();
}

/**
 * The text's last line is still on the cursor row (a wrapped line may show only its end there), or
 * an agent shows its "[Pasted text" marker near the cursor.
 */
export function isStuck(input: {line: string; near: string}, text: string): boolean {
	if (input.near.includes('[Pasted text')) {
		return true;
	}

	const tail = squash(text.split('\n').at(-1) ?? '').slice(-24);
	const row = squash(input.line);
	return tail !== '' && row !== '' && (row.endsWith(tail) || tail.endsWith(row));
}
