import {useRef} from 'react';

/**
 * A ref that always holds the value of the latest render. Ink re-subscribes an input handler in a
 * passive effect, after the frame is already on screen; a key typed in between would otherwise
 * reach the previous render's handler and act on stale state (e.g. the previously focused pane).
 */
export function useLatest<T>(value: T): {readonly current: T} {
	const ref = useRef(value);
	ref.current = value;
	return ref;
}
