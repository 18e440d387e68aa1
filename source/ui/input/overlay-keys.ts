import type {Dispatch} from 'react';
import type {UiResult} from '../commands.js';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';

/** Help and details: esc, enter or ? close them; ↑/↓ (k/j) scroll the details; q still quits. */
export function overlayKeys(dispatch: Dispatch<UiAction>, exit: (result: UiResult) => void): KeyHandler {
	return (input, key) => {
		if (key.upArrow || input === 'k') {
			dispatch({type: 'scroll', delta: -1});
		} else if (key.downArrow || input === 'j') {
			dispatch({type: 'scroll', delta: 1});
		} else if (key.pageUp || key.pageDown) {
			dispatch({type: 'scroll', delta: key.pageUp ? -10 : 10});
		} else if (key.escape || key.return || input === '?') {
			dispatch({type: 'close-overlay'});
		} else if (input === 'q') {
			exit('quit');
		}
	};
}
