import {runConfirmed, type CommandContext} from '../commands.js';
import {confirmKeys} from './confirm-keys.js';
import {filterKeys} from './filter-keys.js';
import type {KeyHandler} from './key-handler.js';
import {mainKeys} from './main-keys.js';
import {overlayKeys} from './overlay-keys.js';
import {sendKeys} from './send-keys.js';

/** The key handler for what is on screen: a dialog or overlay takes every key, else the keymap does. */
export function keyHandlerFor(context: CommandContext): KeyHandler {
	const {overlay} = context.state;
	switch (overlay.kind) {
		case 'none': {
			return mainKeys(context);
		}

		case 'help':
		case 'details': {
			return overlayKeys(context.dispatch, context.exit);
		}

		case 'confirm': {
			return confirmKeys(context.dispatch, () => {
				runConfirmed(overlay.action, context);
			});
		}

		case 'filter': {
			return filterKeys(context.dispatch);
		}

		case 'send': {
			return sendKeys(overlay.form, context.dispatch);
		}
	}
}
