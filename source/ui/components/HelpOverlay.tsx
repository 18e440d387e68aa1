import React from 'react';
import {Box, Text} from 'ink';
import type {Controls} from '../../core/orchestrator.js';
import {keyLabel, keymap, type Command} from '../keymap.js';
import {useTone} from '../theme.js';

/** The control each command needs; a missing one is marked in the help. */
const needs: Partial<Record<Command, keyof Controls>> = {
	attach: 'attachAgent', kill: 'killAgent', 'force-kill': 'killAgent', restart: 'restartAgent', nudge: 'nudgeAgent', 'stop-all': 'stopAll',
};

/** Every key of the keymap with its description; commands whose control is missing are marked. */
export function HelpOverlay({controls, height}: {controls: Controls; height: number}) {
	const tone = useTone();
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={tone('accent')} paddingX={1} height={height}>
			<Text bold>cmux-tui keys  <Text dimColor>(key · pane · what it does; esc or ? closes)</Text></Text>
			{keymap.map(binding => {
				const control = needs[binding.command];
				const missing = control !== undefined && !controls[control];
				return (
					<Box key={binding.command}>
						<Box width={8} flexShrink={0}><Text bold color={tone('accent')}>{keyLabel(binding)}</Text></Box>
						<Box width={8} flexShrink={0}><Text dimColor>{binding.panes ? binding.panes.join(',') : 'any'}</Text></Box>
						<Text wrap="truncate-end" dimColor={missing}>
							{binding.description}
							{missing ? <Text color={tone('warn')}> (unavailable)</Text> : null}
						</Text>
					</Box>
				);
			})}
			<Text dimColor wrap="wrap">k is select-up in the mailbox and alerts panes and kill in the agents pane (use ↑ there). Send dialog: tab moves between fields, enter on body sends, esc cancels.</Text>
		</Box>
	);
}
