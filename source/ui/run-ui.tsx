import React from 'react';
import {render, Text} from 'ink';
import type {Orchestrator} from '../core/orchestrator.js';

/** Placeholder until the TUI lands: renders a line and resolves on q. */
export async function runUi(_orchestrator: Orchestrator): Promise<'quit' | 'stop-all'> {
	const instance = render(<Text>cmux-tui</Text>);
	await instance.waitUntilExit();
	return 'quit';
}
