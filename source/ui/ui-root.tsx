import React from 'react';
import {App} from './App.js';
import type {UiResult} from './commands.js';
import type {Orchestrator} from '../core/orchestrator.js';
import {ColorContext, colorAllowed} from './theme.js';

export interface UiRootProps {
	orchestrator: Orchestrator;
	onExit(result: UiResult): void;
	/** Colour on or off; default: off when NO_COLOR is set. */
	color?: boolean;
	renderIntervalMs?: number;
}

/** The app with its colour setting (NO_COLOR honoured): what runUi renders and what tests render. */
export function UiRoot({orchestrator, onExit, color = colorAllowed(), renderIntervalMs}: UiRootProps) {
	return (
		<ColorContext.Provider value={color}>
			<App orchestrator={orchestrator} onExit={onExit} renderIntervalMs={renderIntervalMs} />
		</ColorContext.Provider>
	);
}
