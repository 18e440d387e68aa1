import type {Overlay} from './state/ui-state.js';

/** Lines the dialogs take below the panes. */
export function dialogHeight(overlay: Overlay): number {
	switch (overlay.kind) {
		case 'filter': {
			return 1;
		}

		case 'confirm': {
			return 3;
		}

		case 'send': {
			return 7;
		}

		default: {
			return 0;
		}
	}
}

/** Footer: a notice line and (on narrow terminals) two lines of key hints. */
export function footerHeight(columns: number): number {
	return columns >= 160 ? 2 : 3;
}

/** Pane heights: agents and mailbox share the top, alerts and health sit side by side at the bottom. */
export function paneHeights(available: number): {agents: number; mailbox: number; bottom: number} {
	// The health pane needs 11 lines: border, title, seven lines of figures.
	const bottom = Math.max(11, Math.floor(available * 0.3));
	const rest = Math.max(8, available - bottom);
	const agents = Math.ceil(rest / 2);
	return {agents, mailbox: rest - agents, bottom};
}
