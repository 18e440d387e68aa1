import type {Dispatch} from 'react';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';
import {splitInput} from './split-input.js';

/** Typing the filter: it applies as you type; enter keeps it, esc clears it. */
export function filterKeys(dispatch: Dispatch<UiAction>): KeyHandler {
	return (input, key) => {
		if (key.escape) {
			dispatch({type: 'filter-clear'});
		} else if (key.return) {
			dispatch({type: 'close-overlay'});
		} else if (key.backspace || key.delete) {
			dispatch({type: 'filter-backspace'});
		} else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
			for (const part of splitInput(input)) {
				if (part.kind === 'text') {
					dispatch({type: 'filter-type', text: part.text});
				} else if (part.kind === 'backspace') {
					dispatch({type: 'filter-backspace'});
				} else if (part.kind === 'enter') {
					dispatch({type: 'close-overlay'});
					return;
				}
			}
		}
	};
}
