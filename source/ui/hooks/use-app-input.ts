import {useInput} from 'ink';
import type {KeyHandler} from '../input/key-handler.js';
import {useLatest} from './use-latest.js';

/**
 * One always-active input subscription that hands each key to the latest render's handler.
 * Ink (re)subscribes `useInput` handlers in passive effects that run after the frame is drawn,
 * so per-mode hooks toggled with `isActive` would drop or misroute a key typed right after a
 * mode switch (open a dialog, press `y`). Routing by the latest state avoids that window.
 */
export function useAppInput(handler: KeyHandler): void {
	const latest = useLatest(handler);
	useInput((input, key) => {
		latest.current(input, key);
	});
}
