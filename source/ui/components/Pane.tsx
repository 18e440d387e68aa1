import React, {type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useTone} from '../theme.js';

export interface PaneProps {
	number: number;
	title: string;
	focused: boolean;
	height: number;
	/** Text after the title, e.g. the row count or the active filter. */
	status?: string;
	/** A fixed width; without it the pane shares the row's width. */
	width?: number;
	children: ReactNode;
}

/** A bordered pane; the focused one has a bold title marked with ▶ (visible without colour) and a coloured border. */
export function Pane({number, title, focused, height, status, width, children}: PaneProps) {
	const tone = useTone();
	return (
		<Box flexDirection="column" borderStyle={focused ? 'bold' : 'round'} borderColor={focused ? tone('accent') : undefined} height={height} width={width} flexGrow={width === undefined ? 1 : 0} flexShrink={width === undefined ? 1 : 0} flexBasis={width === undefined ? 0 : undefined} paddingX={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold={focused} color={focused ? tone('accent') : undefined}>{focused ? '▶ ' : '  '}{number} {title}</Text>
				{status ? <Text dimColor>  {status}</Text> : null}
			</Text>
			{children}
		</Box>
	);
}
