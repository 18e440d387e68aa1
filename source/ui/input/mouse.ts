import type {CommandContext} from '../commands.js';
import {visibleWindow} from '../components/Table.js';
import {paneAt, tableChrome, type ScreenLayout} from '../layout.js';
import {selectedIndex} from '../state/ui-state.js';
import type {MouseEvent} from '../terminal.js';

/** Lines the wheel moves the selection per notch. */
const wheelStep = 3;

/**
 * Mouse input over the panes: a click focuses the pane under it and selects the row it hits; the
 * wheel moves the selection of the pane under the pointer (and scrolls a details view).
 */
export function mouseHandler(context: CommandContext, layout: ScreenLayout): (event: MouseEvent) => void {
	return event => {
		const {state, rows, dispatch} = context;
		if (state.overlay.kind === 'details') {
			if (event.kind !== 'click') {
				dispatch({type: 'scroll', delta: event.kind === 'wheel-up' ? -wheelStep : wheelStep});
			}

			return;
		}

		if (state.overlay.kind !== 'none') {
			return;
		}

		const hit = paneAt(layout, event.row - 1, event.column - 1);
		if (!hit) {
			return;
		}

		const {pane, rect} = hit;
		const count = pane === 'health' ? 0 : rows[pane].length;
		if (event.kind !== 'click') {
			if (state.focus !== pane) {
				dispatch({type: 'focus', pane});
			}

			const current = Math.max(0, selectedIndex(state, pane, count));
			dispatch({type: 'select', pane, index: current + (event.kind === 'wheel-up' ? -wheelStep : wheelStep), count});
			return;
		}

		// Rows start below the title border line and the column header.
		const bodyHeight = rect.height - tableChrome;
		const line = event.row - 1 - rect.top - 2;
		if (pane === 'health' || line < 0 || line >= bodyHeight) {
			dispatch({type: 'focus', pane});
			return;
		}

		const {start, end} = visibleWindow(count, selectedIndex(state, pane, count), bodyHeight);
		if (start + line < end) {
			dispatch({type: 'select', pane, index: start + line, count});
		} else {
			dispatch({type: 'focus', pane});
		}
	};
}
