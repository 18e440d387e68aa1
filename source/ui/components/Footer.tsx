import React from 'react';
import {Box, Text} from 'ink';
import {keyLabel, keymap} from '../keymap.js';
import {useTone} from '../theme.js';

/** A notice line (results of actions) and the key hints, generated from the keymap. */
export function Footer({notice}: {notice?: string}) {
	const tone = useTone();
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end" color={tone('warn')}>{notice ?? ' '}</Text>
			<Text wrap="wrap">
				{keymap.map((binding, index) => (
					<Text key={binding.command}>
						{index > 0 ? <Text dimColor> · </Text> : null}
						<Text bold color={tone('accent')}>{keyLabel(binding)}</Text>
						<Text> {binding.hint}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
