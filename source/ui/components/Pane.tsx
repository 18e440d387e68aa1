import React, {type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useTone} from '../theme.js';

export interface PaneProps {
	/** The title line's text: `1 agents`, or the tab bar in tabs mode. */
	title: ReactNode;
	/** Plain length of `title` (it may hold styled parts). */
	titleLength: number;
	focused: boolean;
	height: number;
	width: number;
	/** Text after the title, e.g. the row count or the active filter. */
	status?: string;
	children: ReactNode;
}

const borders = {
	round: {left: '╭', fill: '─', right: '╮'},
	bold: {left: '┏', fill: '━', right: '┓'},
};

/**
 * A bordered pane of a fixed size whose title sits in its top border (a line saved on small
 * terminals). The focused one has a heavy border and a bold title marked ▶ (visible without colour).
 */
export function Pane({title, titleLength, focused, height, width, status, children}: PaneProps) {
	const tone = useTone();
	const border = focused ? borders.bold : borders.round;
	const color = focused ? tone('accent') : undefined;
	const mark = focused ? '▶ ' : '';
	const statusText = status ? `  ${status}` : '';
	// ╭─ ▶ title  status ───╮ : exactly `width` columns; the status is cut first.
	const room = Math.max(0, width - 6 - mark.length - titleLength);
	const shownStatus = statusText.length > room ? statusText.slice(0, Math.max(0, room - 1)) + (room > 1 ? '…' : '') : statusText;
	const fill = Math.max(0, width - 5 - mark.length - titleLength - shownStatus.length);
	if (height <= 0 || width <= 0) {
		return null;
	}

	return (
		<Box flexDirection="column" height={height} width={width} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text color={color}>{`${border.left}${border.fill} `}</Text>
				<Text bold={focused} color={color}>{mark}{title}</Text>
				<Text dimColor>{shownStatus}</Text>
				<Text color={color}>{` ${border.fill.repeat(fill)}${border.right}`}</Text>
			</Text>
			{height > 1
				? (
					// Keyed by the border style: Ink re-applies a changed borderStyle with a top border again
					// (its style diff drops `borderTop: false`), which would push the content down a line.
					<Box key={focused ? 'bold' : 'round'} flexDirection="column" borderStyle={focused ? 'bold' : 'round'} borderTop={false} borderColor={color} height={height - 1} width={width} paddingX={1} overflow="hidden">
						{children}
					</Box>
				)
				: null}
		</Box>
	);
}
