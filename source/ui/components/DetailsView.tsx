import React from 'react';
import {Box, Text} from 'ink';
import {oneLine} from '../data/format.js';
import {useTone} from '../theme.js';

export interface DetailsViewProps {
	title: string;
	lines: readonly string[];
	height: number;
	width: number;
	/** Which end the view starts at; `scroll` counts lines away from it. */
	follow: 'top' | 'bottom';
	scroll: number;
}

/** The slice of `count` lines that shows in `room` rows, `scroll` lines away from the `follow` end. */
export function detailsWindow(count: number, room: number, follow: 'top' | 'bottom', scroll: number): {start: number; end: number} {
	const maxStart = Math.max(0, count - room);
	const start = follow === 'top' ? Math.min(scroll, maxStart) : Math.max(0, maxStart - scroll);
	return {start, end: Math.min(count, start + room)};
}

/** Full text of the selected row; ↑/↓ scroll when it does not fit. */
export function DetailsView({title, lines: given, height, width, follow, scroll}: DetailsViewProps) {
	const tone = useTone();
	const room = Math.max(1, height - 3);
	// Long lines wrap, so nothing is cut off at the right edge.
	const lines = wrapLines(given, Math.max(8, width - 4));
	const {start, end} = detailsWindow(lines.length, room, follow, scroll);
	const position = lines.length > room ? `lines ${start + 1}-${end} of ${lines.length}, ↑/↓ scroll; ` : '';
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={tone('accent')} paddingX={1} height={height} width={width} overflow="hidden">
			<Text bold wrap="truncate-end">{title}  <Text dimColor>({position}esc closes)</Text></Text>
			{lines.slice(start, end).map((line, index) => <Text key={start + index} wrap="truncate-end">{line === '' ? ' ' : line}</Text>)}
		</Box>
	);
}

/** Each line made printable and cut into pieces of at most `width` characters. */
export function wrapLines(lines: readonly string[], width: number): string[] {
	return lines.flatMap(line => {
		const chars = [...oneLine(line)];
		if (chars.length <= width) {
			return [chars.join('')];
		}

		const pieces: string[] = [];
		for (let start = 0; start < chars.length; start += width) {
			pieces.push(chars.slice(start, start + width).join(''));
		}

		return pieces;
	});
}
