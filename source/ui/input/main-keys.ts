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

		const resolved = resolveKey(input, key, context.state.focus, context.orchestrator.controls);
		if (resolved.kind === 'command') {
			runCommand(resolved.command, resolved.input, context);
		} else if (resolved.kind === 'wrong-pane') {
			const panes = resolved.binding.panes ?? [];
			context.dispatch({type: 'notice', text: `${keyLabel(resolved.binding)} (${resolved.binding.hint}) works in the ${panes.join(', ')} pane${panes.length > 1 ? 's' : ''}${panes[0] === 'agents' ? ': press 1 first' : ''}`});
		}
	};

	return handle;
}
