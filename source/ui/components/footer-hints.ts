/** One hint of the key line: `enter details`. */
export interface Hint {
	label: string;
	hint: string;
	/** Shown only when there is room after every major hint. */
	minor?: boolean;
}

const separator = ' · ';

/**
 * The hints that fit in `width` columns, in their given order: every major one that fits first,
 * then minor ones; a hint is never cut in the middle.
 */
export function fitHints(hints: readonly Hint[], width: number): Hint[] {
	const size = (hint: Hint) => hint.label.length + 1 + hint.hint.length;
	// `? help` and `q quit` always stay: the way to see the rest and the way out.
	const kept = hints.filter(hint => hint.label === '?' || hint.label === 'q');
	let used = kept.reduce((sum, hint, index) => sum + size(hint) + (index > 0 ? separator.length : 0), 0);
	const chosen = new Set<Hint>(kept);
	for (const pass of [false, true]) {
		for (const hint of hints) {
			if (chosen.has(hint) || Boolean(hint.minor) !== pass) {
				continue;
			}

			const extra = size(hint) + (chosen.size > 0 ? separator.length : 0);
			if (used + extra <= width) {
				chosen.add(hint);
				used += extra;
			}
		}
	}

	return hints.filter(hint => chosen.has(hint));
}
