import type {Dispatch} from 'react';
import type {UiResult} from '../commands.js';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';

/** Help and details: esc, enter or ? close them; q still quits. */
export function overlayKeys(dispatch: Dispatch<UiAction>, exit: (result: UiResult) => void): KeyHandler {
	return (input, key) => {
		if (key.escape || key.return || input === '?') {
			dispatch({type: 'close-overlay'});
		} else if (input === 'q') {
			exit('quit');
		}
	};
}
