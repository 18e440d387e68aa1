import {runCommand, type CommandContext} from '../commands.js';
import {keyLabel, resolveKey} from '../keymap.js';
import type {KeyHandler} from './key-handler.js';

/** The panes' keys, resolved through the keymap. */
export function mainKeys(context: CommandContext): KeyHandler {
	return (input, key) => {
		const resolved = resolveKey(input, key, context.state.focus);
		if (resolved.kind === 'command') {
			runCommand(resolved.command, resolved.input, context);
		} else if (resolved.kind === 'wrong-pane') {
			context.dispatch({type: 'notice', text: `${keyLabel(resolved.binding)} (${resolved.binding.hint}) works in the agents pane: press 1 first`});
		}
	};
}
