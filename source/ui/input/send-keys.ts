import type {Dispatch} from 'react';
import {sendFields, type SendForm, type SendFormAction} from '../state/send-form.js';
import type {UiAction} from '../state/ui-state.js';
import type {KeyHandler} from './key-handler.js';
import {splitInput} from './split-input.js';

/**
 * The send dialog's keys: text goes to the focused field; tab / ↓ and shift-tab / ↑ move between
 * fields; enter moves on, and on the last field (body) sends; esc cancels. A chunk of fast typing
 * (`boss⇥hi⇥body⏎`) is replayed key by key.
 */
export function sendKeys(form: SendForm, dispatch: Dispatch<UiAction>): KeyHandler {
	const edit = (action: SendFormAction) => {
		dispatch({type: 'send-form', action});
	};

	return (input, key) => {
		if (form.sending) {
			return;
		}

		if (key.escape) {
			dispatch({type: 'close-overlay'});
		} else if ((key.tab && key.shift) || key.upArrow) {
			edit({type: 'previous-field'});
		} else if (key.downArrow) {
			edit({type: 'next-field'});
		} else if (key.backspace || key.delete) {
			edit({type: 'backspace'});
		} else if (key.return || key.tab || (input && !key.ctrl && !key.meta)) {
			replay(key.return ? '\r' : key.tab ? '\t' : input, form.field, edit);
		}
	};
}

function replay(input: string, startField: SendForm['field'], edit: (action: SendFormAction) => void): void {
	let field = startField;
	const next = () => {
		field = sendFields[(sendFields.indexOf(field) + 1) % sendFields.length]!;
		edit({type: 'next-field'});
	};

	for (const part of splitInput(input)) {
		if (part.kind === 'text') {
			edit({type: 'type', text: part.text});
		} else if (part.kind === 'backspace') {
			edit({type: 'backspace'});
		} else if (part.kind === 'tab' || field !== 'body') {
			next();
		} else {
			// The reducer validates; App sends once the form is marked sending.
			edit({type: 'submit'});
			return;
		}
	}
}
