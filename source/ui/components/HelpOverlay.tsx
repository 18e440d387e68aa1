import React from 'react';
import {Box, Text} from 'ink';
import type {Api, CommandName} from '../../core/api.js';
import {keyLabel, keymap, type Command} from '../keymap.js';
import {useTone} from '../theme.js';

/** The API command each key needs; one no running service provides is marked in the help. */
const needs: Partial<Record<Command, CommandName>> = {
	attach: 'agents.attach', kill: 'agents.kill', 'force-kill': 'agents.kill', restart: 'agents.restart', 'stop-all': 'stopAll',
};

/** Every key of the keymap with its description; commands no service provides are marked. */
export function HelpOverlay({api, height}: {api: Api; height: number}) {
	const tone = useTone();
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={tone('accent')} paddingX={1} height={height}>
			<Text bold>cmux-tui keys  <Text dimColor>(key · pane · what it does; esc or ? closes)</Text></Text>
			{keymap.map(binding => {
				const control = needs[binding.command];
				const missing = control !== undefined && !api.has(control);
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
