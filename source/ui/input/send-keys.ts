import type {Dispatch} from 'react';
import type {SendForm, SendFormAction} from '../state/send-form.js';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';

/**
 * The send dialog's keys: text goes to the focused field; tab / ↓ and shift-tab / ↑ move between
 * fields; enter moves on, and on the last field (body) sends; esc cancels.
 */
export function sendKeys(form: SendForm, dispatch: Dispatch<UiAction>, onSubmit: () => void): KeyHandler {
	const edit = (action: SendFormAction) => {
		dispatch({type: 'send-form', action});
	};

	return (input, key) => {
		if (form.sending) {
			return;
		}

		if (key.escape) {
			dispatch({type: 'close-overlay'});
		} else if (key.return) {
			if (form.field === 'body') {
				onSubmit();
			} else {
				edit({type: 'next-field'});
			}
		} else if ((key.tab && key.shift) || key.upArrow) {
			edit({type: 'previous-field'});
		} else if (key.tab || key.downArrow) {
			edit({type: 'next-field'});
		} else if (key.backspace || key.delete) {
			edit({type: 'backspace'});
		} else if (input && !key.ctrl && !key.meta) {
			edit({type: 'type', text: input});
		}
	};
}
