import type {Api} from '../../core/api.js';
import type {Hint} from '../components/footer-hints.js';
import type {ActivityState} from '../data/activity.js';
import {bindingsFor, keyLabel} from '../keymap.js';
import type {UiState} from '../state/ui-state.js';

/** The keys of each dialog and overlay (their handlers are in this folder, one per mode). */
export const overlayHints: Record<'details' | 'help' | 'confirm' | 'filter' | 'send', Hint[]> = {
	details: [{label: '↑/↓', hint: 'scroll'}, {label: 'pgup/pgdn', hint: 'page', minor: true}, {label: 'esc', hint: 'close'}, {label: 'q', hint: 'quit'}],
	help: [{label: '↑/↓', hint: 'scroll'}, {label: 'esc/?', hint: 'close'}, {label: 'q', hint: 'quit'}],
	confirm: [{label: 'y', hint: 'yes'}, {label: 'n/esc', hint: 'no'}],
	filter: [{label: 'enter', hint: 'keep filter'}, {label: 'esc', hint: 'clear'}, {label: 'backspace', hint: 'erase', minor: true}],
	send: [{label: 'tab/↓', hint: 'next field'}, {label: 'shift-tab/↑', hint: 'previous', minor: true}, {label: 'enter', hint: 'next / send'}, {label: 'esc', hint: 'cancel'}],
};

/**
 * What the footer shows for the current view: its keys only (approve and deny only while the selected
 * agent, whose activity state is `selected`, waits for approval), and a question or filter line as the notice.
 */
export function footerFor(state: UiState, api: Pick<Api, 'has'>, selected?: ActivityState): {hints: Hint[]; notice?: string} {
	const {overlay} = state;
	switch (overlay.kind) {
		case 'none': {
			return {hints: bindingsFor(state.focus, api, selected).map(binding => ({label: keyLabel(binding), hint: binding.hint, ...(binding.minor ? {minor: true} : {})}))};
		}

		case 'confirm': {
			return {hints: overlayHints.confirm, notice: `${overlay.question}  y/n`};
		}

		case 'filter': {
			return {hints: overlayHints.filter, notice: `/${state.filters[state.focus]}▏ filter ${state.focus}`};
		}

		case 'details': {
			return {hints: overlay.title === helpTitle ? overlayHints.help : overlayHints.details};
		}

		default: {
			return {hints: overlayHints[overlay.kind]};
		}
	}
}

/** The title of the help overlay (a details view of the key list). */
export const helpTitle = 'cmux-tui keys';
