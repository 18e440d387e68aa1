import {runCommand, type CommandContext} from '../commands.js';
import {keyLabel, resolveKey} from '../keymap.js';
import type {Command} from '../keymap.js';
import {filterKeys} from './filter-keys.js';
import type {KeyHandler} from './key-handler.js';

/** Commands after which the screen is a dialog or overlay, not the panes. */
const opensDialog = new Set<Command>(['filter', 'send', 'help', 'details', 'kill', 'restart', 'approve', 'deny', 'interrupt', 'stop-all']);

/** The panes' keys, resolved through the keymap. */
export function mainKeys(context: CommandContext): KeyHandler {
	const handle: KeyHandler = (input, key) => {
		// Keys typed faster than a frame arrive as one chunk (`jjj`): take them one by one. After a key
		// that opens a dialog the rest belongs to that dialog: typed text goes into the filter; for
		// any other dialog the rest is dropped rather than acted on as pane keys behind it.
		const chars = [...input];
		if (chars.length > 1 && !key.ctrl && !key.meta) {
			for (const [index, char] of chars.entries()) {
				const single = {...key, tab: char === '\t', return: char === '\r'};
				const resolved = resolveKey(char, single, context.state.focus, context.orchestrator.api);
				handle(char, single);
				const command = resolved.kind === 'command' ? resolved.command : undefined;
				if (command === 'filter' && context.state.focus !== 'health') {
					const rest = chars.slice(index + 1).join('');
					if (rest) {
						filterKeys(context.dispatch)(rest, {...key});
					}

					return;
				}

				if (command && opensDialog.has(command)) {
					return;
				}
			}

			return;
		}

		const resolved = resolveKey(input, key, context.state.focus, context.orchestrator.api);
		if (resolved.kind === 'command') {
			runCommand(resolved.command, resolved.input, context);
		} else if (resolved.kind === 'wrong-pane') {
			const panes = resolved.binding.panes ?? [];
			context.dispatch({type: 'notice', text: `${keyLabel(resolved.binding)} (${resolved.binding.hint}) works in the ${panes.join(', ')} pane${panes.length > 1 ? 's' : ''}${panes[0] === 'agents' ? ': press 1 first' : ''}`});
		}
	};

	return handle;
}
