import type {Api} from '../../core/api.js';
import {overlayHints} from '../input/footer.js';
import {activeKeymap, keyLabel} from '../keymap.js';

/** The help text: every bound key (key · where · what), then the dialogs' keys and mouse use. */
export function helpLines(api: Pick<Api, 'has'>): string[] {
	const rows = activeKeymap(api).map(binding => `${keyLabel(binding).padEnd(8)} ${(binding.panes ? binding.panes.join(',') : 'any').padEnd(20)} ${binding.description}`);
	const dialog = (name: string, hints: ReadonlyArray<{label: string; hint: string}>) => `${name.padEnd(8)} ${hints.map(hint => `${hint.label} ${hint.hint}`).join(' · ')}`;
	return [
		'key      pane                 what it does',
		...rows,
		'',
		'k is select-up in the mailbox and alerts panes and kill in the agents pane (use ↑ there).',
		'mouse: a click selects a row and focuses its pane; the wheel moves the selection or scrolls.',
		dialog('details', overlayHints.details),
		dialog('confirm', overlayHints.confirm),
		dialog('filter', overlayHints.filter),
		dialog('send', overlayHints.send),
	];
}
