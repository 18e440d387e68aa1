import {useInput} from 'ink';
import type {KeyHandler} from '../input/key-handler.js';
import {isMouseInput, parseMouse, type MouseEvent} from '../terminal.js';
import {useLatest} from './use-latest.js';

/**
 * One always-active input subscription that hands each key to the latest render's handler.
 * Ink (re)subscribes `useInput` handlers in passive effects that run after the frame is drawn,
 * so per-mode hooks toggled with `isActive` would drop or misroute a key typed right after a
 * mode switch (open a dialog, press `y`). Routing by the latest state avoids that window.
 * Mouse reports (SGR) go to `onMouse` and never reach the key handler.
 */
export function useAppInput(handler: KeyHandler, onMouse?: (event: MouseEvent) => void): void {
	const latest = useLatest({handler, onMouse});
	useInput((input, key) => {
		if (isMouseInput(input)) {
			for (const event of parseMouse(input)) {
				latest.current.onMouse?.(event);
			}

			return;
		}

		latest.current.handler(input, key);
	});
}
