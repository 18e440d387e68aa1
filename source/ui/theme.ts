import {createContext, useContext} from 'react';
import type {Tone} from './data/rows.js';

/** Whether colour may be used: off when NO_COLOR is set (https://no-color.org), whatever its value. */
export function colorAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
	return !('NO_COLOR' in env);
}

export const ColorContext = createContext<boolean>(true);

const toneColors: Record<Exclude<Tone, undefined>, string> = {good: 'green', warn: 'yellow', bad: 'red', dim: 'gray'};

/** The colour for a tone (or a named colour), or undefined when colour is off. */
export function useTone(): (tone: Tone | 'accent') => string | undefined {
	const color = useContext(ColorContext);
	return tone => {
		if (!color || tone === undefined) {
			return undefined;
		}

		return tone === 'accent' ? 'cyan' : toneColors[tone];
	};
}
