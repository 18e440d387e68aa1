import {useInput} from 'ink';
import type {Dispatch} from 'react';
import type {UiResult} from '../commands.js';
import type {UiAction} from '../state/ui-state.js';

/** Help and details: esc, enter or ? close them; q still quits. */
export function useOverlayInput(dispatch: Dispatch<UiAction>, exit: (result: UiResult) => void, isActive: boolean): void {
	useInput((input, key) => {
		if (key.escape || key.return || input === '?') {
			dispatch({type: 'close-overlay'});
		} else if (input === 'q') {
			exit('quit');
		}
	}, {isActive});
}
