import React from 'react';
import {Box, Text} from 'ink';
import type {TableRow, Tone} from '../data/rows.js';
import {useTone} from '../theme.js';
import {columnWidths, type Column} from './table-columns.js';

export type {Column} from './table-columns.js';

export interface TableProps<T> {
	columns: readonly Column[];
	rows: ReadonlyArray<TableRow<T>>;
	selected: number;
	/** Lines for the header and the rows; the window scrolls so the selected row stays visible. */
	height: number;
	/** Columns the table may use. */
	width: number;
	focused: boolean;
	empty: string;
	/** The column the rows are sorted by, marked ▲/▼ in the header. */
	sort?: {column: number; descending: boolean};
}

/** The visible slice of `count` rows of which `selected` must show, in `height` lines. */
export function visibleWindow(count: number, selected: number, height: number): {start: number; end: number} {
	if (count <= height) {
		return {start: 0, end: count};
	}

	const start = Math.max(0, Math.min(count - height, selected - height + 1));
	return {start, end: start + height};
}

/** A table: a header, then one line per row, columns sized to their content, cells cut with `…`. */
export function Table<T>({columns, rows, selected, height, width, focused, empty, sort}: TableProps<T>) {
	const tone = useTone();
	const bodyHeight = Math.max(0, height - 1);
	const {start, end} = visibleWindow(rows.length, selected, bodyHeight);
	const visible = rows.slice(start, end);
	const widths = columnWidths(columns, visible.length > 0 ? visible : rows.slice(0, 1), width);
	const title = (index: number) => columns[index]!.title + (sort?.column === index ? (sort.descending ? '▼' : '▲') : '');
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Text wrap="truncate-end"> {widths.map(([index, size]) => <Text key={index} bold>{fit(title(index), size, columns[index]!.align)} </Text>)}</Text>
			{rows.length === 0 && bodyHeight > 0 ? <Text dimColor wrap="truncate-end"> {empty}</Text> : visible.map((row, offset) => {
				const isSelected = start + offset === selected;
				const inverse = isSelected && focused;
				return (
					<Text key={row.key} wrap="truncate-end" inverse={inverse} bold={isSelected}>
						{isSelected ? '›' : ' '}
						{widths.map(([index, size]) => <Text key={index} color={tone(cellTone(row, columns[index]!))}>{fit(row.cells[index] ?? '', size, columns[index]!.align)} </Text>)}
					</Text>
				);
			})}
		</Box>
	);
}

function cellTone<T>(row: TableRow<T>, column: Column): Tone {
	return row.tone ?? (column.state ? row.stateTone : undefined);
}

/** `text` cut or padded to exactly `size` columns (cut text ends in `…`). */
export function fit(text: string, size: number, align: Column['align'] = 'left'): string {
	const chars = [...text];
	if (chars.length > size) {
		return size <= 0 ? '' : chars.slice(0, size - 1).join('') + '…';
	}

	const pad = ' '.repeat(size - chars.length);
	return align === 'right' ? pad + text : text + pad;
}
