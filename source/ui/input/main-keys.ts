import {runCommand, type CommandContext} from '../commands.js';
import {keyLabel, resolveKey} from '../keymap.js';
import type {KeyHandler} from './key-handler.js';

/** The panes' keys, resolved through the keymap. */
export function mainKeys(context: CommandContext): KeyHandler {
	const handle: KeyHandler = (input, key) => {
		// Keys typed faster than a frame arrive as one chunk (`jjj`): take them one by one.
		if ([...input].length > 1 && !key.ctrl && !key.meta) {
			for (const char of input) {
				handle(char, {...key, tab: char === '\t', return: char === '\r'});
			}

			return;
		}

		const resolved = resolveKey(input, key, context.state.focus);
		if (resolved.kind === 'command') {
			runCommand(resolved.command, resolved.input, context);
		} else if (resolved.kind === 'wrong-pane') {
			context.dispatch({type: 'notice', text: `${keyLabel(resolved.binding)} (${resolved.binding.hint}) works in the agents pane: press 1 first`});
		}
	};

	return handle;
}
