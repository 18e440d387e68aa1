/** `45s`, `12m`, `3h05m`, `2d04h`: short, fixed-ish width durations for table cells. */
export function shortDuration(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
	}

	return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/** How long ago an ISO time was (`12s ago`), or `-` when unknown. */
export function ago(iso: string | null | undefined, now: number): string {
	const at = iso ? Date.parse(iso) : Number.NaN;
	return Number.isNaN(at) ? '-' : `${shortDuration(now - at)} ago`;
}

/** Local wall-clock `HH:MM:SS` of an ISO time. */
export function clockTime(iso: string | null | undefined): string {
	const at = iso ? new Date(iso) : undefined;
	if (!at || Number.isNaN(at.getTime())) {
		return '-';
	}

	return [at.getHours(), at.getMinutes(), at.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

/** One line, no control characters: what a table cell can show. */
export function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/[\r\n\t]+/g, ' ').replaceAll(/[\u0000-\u001F\u007F]/g, '?');
}
