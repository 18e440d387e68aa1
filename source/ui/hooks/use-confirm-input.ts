import {useInput} from 'ink';
import type {Dispatch} from 'react';
import type {UiAction} from '../state/ui-state.js';

/** A yes/no question: y confirms, n or esc cancels; every other key is ignored. */
export function useConfirmInput(dispatch: Dispatch<UiAction>, onYes: () => void, isActive: boolean): void {
	useInput((input, key) => {
		if (input === 'y' || input === 'Y') {
			onYes();
		} else if (input === 'n' || input === 'N' || key.escape) {
			dispatch({type: 'close-overlay'});
			dispatch({type: 'notice', text: 'cancelled'});
		}
	}, {isActive});
}
