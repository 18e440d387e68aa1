import type {Key} from 'ink';

/** What every mode's key handler looks like: it maps a key press to dispatches or commands. */
export type KeyHandler = (input: string, key: Key) => void;
