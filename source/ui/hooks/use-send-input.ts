import {useInput} from 'ink';
import type {Dispatch} from 'react';
import type {SendForm} from '../state/send-form.js';
import type {UiAction} from '../state/ui-state.js';

/**
 * The send dialog's keys: text goes to the focused field; tab / ↓ and shift-tab / ↑ move between
 * fields; enter moves on, and on the last field (body) sends; esc cancels.
 */
export function useSendInput(form: SendForm | undefined, dispatch: Dispatch<UiAction>, onSubmit: () => void, isActive: boolean): void {
	useInput((input, key) => {
		if (!form || form.sending) {
			return;
		}

		const edit = (action: Extract<UiAction, {type: 'send-form'}>['action']) => {
			dispatch({type: 'send-form', action});
		};

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
	}, {isActive});
}
