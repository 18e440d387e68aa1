import React from 'react';
import {Box, Text} from 'ink';
import {oneLine} from '../data/format.js';
import {useTone} from '../theme.js';

/** Full text of the selected row; shows the last lines that fit. */
export function DetailsView({title, lines, height}: {title: string; lines: readonly string[]; height: number}) {
	const tone = useTone();
	const room = Math.max(1, height - 3);
	const shown = lines.length > room ? lines.slice(-room) : lines;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={tone('accent')} paddingX={1} height={height}>
			<Text bold wrap="truncate-end">{title}  <Text dimColor>(esc closes{lines.length > room ? `; last ${room} of ${lines.length} lines` : ''})</Text></Text>
			{shown.map((line, index) => <Text key={index} wrap="truncate-end">{line === '' ? ' ' : oneLine(line)}</Text>)}
		</Box>
	);
}
