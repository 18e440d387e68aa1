import React from 'react';
import {Box, Text} from 'ink';
import type {TableRow, Tone} from '../data/rows.js';
import {useTone} from '../theme.js';

/** A column: fixed `width`, or `grow` to share what is left. */
export interface Column {
	title: string;
	width?: number;
	grow?: number;
	/** The column that gets the row's state tone. */
	state?: boolean;
	align?: 'left' | 'right';
}

export interface TableProps<T> {
	columns: readonly Column[];
	rows: ReadonlyArray<TableRow<T>>;
	selected: number;
	/** Rows that fit; the window scrolls so the selected row stays visible. */
	height: number;
	focused: boolean;
	empty: string;
}

/** The visible slice of `count` rows of which `selected` must show, in `height` lines. */
export function visibleWindow(count: number, selected: number, height: number): {start: number; end: number} {
	if (count <= height) {
		return {start: 0, end: count};
	}

	const start = Math.max(0, Math.min(count - height, selected - height + 1));
	return {start, end: start + height};
}

/** A small table (ink-table does not work with Ink 6): a header, rows truncated to their columns. */
export function Table<T>({columns, rows, selected, height, focused, empty}: TableProps<T>) {
	const tone = useTone();
	const bodyHeight = Math.max(1, height - 1);
	const {start, end} = visibleWindow(rows.length, selected, bodyHeight);
	return (
		<Box flexDirection="column">
			<Box>
				<Text> </Text>
				{columns.map(column => <Cell key={column.title} column={column} text={column.title} bold />)}
			</Box>
			{rows.length === 0 ? <Text dimColor> {empty}</Text> : rows.slice(start, end).map((row, offset) => {
				const isSelected = start + offset === selected;
				return (
					<Box key={row.key}>
						<Text inverse={isSelected && focused} bold={isSelected}>{isSelected ? '›' : ' '}</Text>
						{columns.map((column, index) => (
							<Cell key={column.title} column={column} text={row.cells[index] ?? ''} color={tone(cellTone(row, column))} inverse={isSelected && focused} />
						))}
					</Box>
				);
			})}
		</Box>
	);
}

function cellTone<T>(row: TableRow<T>, column: Column): Tone {
	return row.tone ?? (column.state ? row.stateTone : undefined);
}

function Cell({column, text, color, bold, inverse}: {column: Column; text: string; color?: string; bold?: boolean; inverse?: boolean}) {
	return (
		<Box width={column.width} flexGrow={column.grow ?? 0} flexShrink={column.grow ? 1 : 0} flexBasis={column.grow ? 0 : undefined} marginRight={1} justifyContent={column.align === 'right' ? 'flex-end' : 'flex-start'}>
			<Text wrap="truncate-end" color={color} bold={bold} inverse={inverse}>{text}</Text>
		</Box>
	);
}
