import React from 'react';
import {Box, Text} from 'ink';
import {useTone} from '../theme.js';

/** A yes/no question (height 3). */
export function ConfirmDialog({question}: {question: string}) {
	const tone = useTone();
	return (
		<Box borderStyle="double" borderColor={tone('bad')} paddingX={1}>
			<Text wrap="truncate-end"><Text bold>{question}</Text>  <Text color={tone('accent')}>y</Text> yes · <Text color={tone('accent')}>n</Text>/esc no</Text>
		</Box>
	);
}
