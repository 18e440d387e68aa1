import type {Dispatch} from 'react';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';

/** A yes/no question: y confirms, n or esc cancels; every other key is ignored. */
export function confirmKeys(dispatch: Dispatch<UiAction>, onYes: () => void): KeyHandler {
	return (input, key) => {
		if (input === 'y' || input === 'Y') {
			onYes();
		} else if (input === 'n' || input === 'N' || key.escape) {
			dispatch({type: 'close-overlay'});
			dispatch({type: 'notice', text: 'cancelled'});
		}
	};
}
