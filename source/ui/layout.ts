import type {PaneId} from './state/ui-state.js';

/** Where a pane sits on the screen (0-based lines and columns). */
export interface Rect {
	top: number;
	left: number;
	width: number;
	height: number;
}

/**
 * The screen: a header line, the panes, then a notice line and a key line. The frame is one line
 * shorter than the terminal: Ink clears the whole screen on every frame that fills it.
 * `split` shows every pane at once (from 80×24); below that `tabs` shows one pane at a time.
 */
export interface ScreenLayout {
	mode: 'split' | 'tabs';
	columns: number;
	/** Lines the frame takes (terminal rows − 1). */
	lines: number;
	/** Lines of the panes area. */
	main: number;
	/** Lines a dialog (the send form) takes below the panes. */
	dialog: number;
	panes: Partial<Record<PaneId, Rect>>;
	/** The selected agent's live screen, beside the agents pane on wide terminals. */
	preview?: Rect;
}

/** Header line, notice line, key line. */
export const chromeLines = 3;
/** A table pane's lines besides its rows: top border with the title, column header, bottom border. */
export const tableChrome = 3;
/** The smallest terminal that shows every pane at once. */
export const splitMinimum = {columns: 80, rows: 24};

/** Lay out a terminal of `columns`×`rows` with a dialog of `dialog` lines open. */
export function screenLayout(columns: number, rows: number, dialog = 0, focus: PaneId = 'agents'): ScreenLayout {
	const lines = Math.max(1, rows - 1);
	const main = Math.max(0, lines - chromeLines - dialog);
	const top = 1;
	if (columns < splitMinimum.columns || rows < splitMinimum.rows) {
		return {mode: 'tabs', columns, lines, main, dialog, panes: {[focus]: {top, left: 0, width: columns, height: main}}};
	}

	const {agents, mailbox, bottom} = paneHeights(main);
	const health = healthWidth(columns);
	const previewWidth = columns >= 140 && agents >= 8 ? Math.min(90, Math.floor(columns * 0.42)) : 0;
	return {
		mode: 'split',
		columns,
		lines,
		main,
		dialog,
		panes: {
			agents: {top, left: 0, width: columns - previewWidth, height: agents},
			mailbox: {top: top + agents, left: 0, width: columns, height: mailbox},
			alerts: {top: top + agents + mailbox, left: 0, width: columns - health, height: bottom},
			health: {top: top + agents + mailbox, left: columns - health, width: health, height: bottom},
		},
		...(previewWidth > 0 ? {preview: {top, left: columns - previewWidth, width: previewWidth, height: agents}} : {}),
	};
}

/**
 * Heights of the split layout's three rows, summing to `available`: agents keep at least 5 rows
 * and the mailbox 4 (tableChrome more each); alerts and health share what is left (3 to 11 lines).
 */
export function paneHeights(available: number): {agents: number; mailbox: number; bottom: number} {
	const minimum = {agents: 5 + tableChrome, mailbox: 4 + tableChrome};
	let bottom = Math.min(11, Math.max(5, Math.floor(available * 0.3)));
	if (available - bottom < minimum.agents + minimum.mailbox) {
		bottom = Math.max(0, available - minimum.agents - minimum.mailbox);
	}

	const rest = available - bottom;
	const agents = Math.min(rest, Math.max(minimum.agents, Math.ceil(rest / 2)));
	return {agents, mailbox: rest - agents, bottom};
}

/** The health pane gets under half the width (40 to 76 columns); the alerts table takes the rest. */
export function healthWidth(columns: number): number {
	return Math.min(76, Math.max(40, Math.floor(columns * 0.45)));
}

/** The pane (and its rect) under a screen position (0-based), if any. */
export function paneAt(layout: ScreenLayout, line: number, column: number): {pane: PaneId; rect: Rect} | undefined {
	for (const [pane, rect] of Object.entries(layout.panes) as Array<[PaneId, Rect]>) {
		if (line >= rect.top && line < rect.top + rect.height && column >= rect.left && column < rect.left + rect.width) {
			return {pane, rect};
		}
	}

	return undefined;
}
