import React from 'react';
import {render} from 'ink';
import type {Orchestrator} from '../core/orchestrator.js';
import {App} from './App.js';
import type {UiResult} from './commands.js';
import {ColorContext, colorAllowed} from './theme.js';

/**
 * Show the TUI on this terminal until the user quits: `q` resolves `quit` (agents keep running),
 * `Q` resolves `stop-all` after confirmation (the caller stops everything).
 */
export async function runUi(orchestrator: Orchestrator): Promise<UiResult> {
	let result: UiResult = 'quit';
	const instance = render(<UiRoot orchestrator={orchestrator} onExit={chosen => {
		result = chosen;
		instance.unmount();
	}} />);
	await instance.waitUntilExit();
	return result;
}

/** The app with its colour setting (NO_COLOR honoured): what runUi renders and what tests render. */
export function UiRoot({orchestrator, onExit, color = colorAllowed(), renderIntervalMs}: {orchestrator: Orchestrator; onExit(result: UiResult): void; color?: boolean; renderIntervalMs?: number}) {
	return (
		<ColorContext.Provider value={color}>
			<App orchestrator={orchestrator} onExit={onExit} renderIntervalMs={renderIntervalMs} />
		</ColorContext.Provider>
	);
}
