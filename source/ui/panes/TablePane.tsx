import React, {type ReactNode} from 'react';
import type {TableRow} from '../data/rows.js';
import {Pane} from '../components/Pane.js';
import {Table, type Column} from '../components/Table.js';
import {tableChrome} from '../layout.js';

export interface TablePaneProps<T> {
	title: ReactNode;
	titleLength: number;
	columns: readonly Column[];
	rows: ReadonlyArray<TableRow<T>>;
	selected: number;
	focused: boolean;
	height: number;
	width: number;
	filter: string;
	empty: string;
	sort?: {column: number; descending: boolean};
	/** Rows in the store when the pane holds only the newest of them. */
	total?: number;
}

/** A pane holding one table, with its row count and active filter in the title line. */
export function TablePane<T>({title, titleLength, columns, rows, selected, focused, height, width, filter, empty, sort, total}: TablePaneProps<T>) {
	const shown = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
	const status = `${shown}${total !== undefined && total > rows.length && !filter ? ` of ${total}` : ''}${filter ? `  filter: ${filter}` : ''}`;
	return (
		<Pane title={title} titleLength={titleLength} focused={focused} height={height} width={width} status={status}>
			<Table columns={columns} rows={rows} selected={selected} height={height - tableChrome + 1} width={width - 4} focused={focused} sort={sort} empty={filter ? `no rows match "${filter}"` : empty} />
		</Pane>
	);
}
