const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/**
 * Parse a duration string such as `"500ms"`, `"5s"`, `"2m"`, `"1h"`, `"7d"` (decimals allowed: `"1.5s"`).
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	return Math.round(Number(match[1]) * units[match[2]!]!);
}
