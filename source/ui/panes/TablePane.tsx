import React from 'react';
import type {TableRow} from '../data/rows.js';
import {Pane} from '../components/Pane.js';
import {Table, type Column} from '../components/Table.js';

export interface TablePaneProps<T> {
	number: number;
	title: string;
	columns: readonly Column[];
	rows: ReadonlyArray<TableRow<T>>;
	selected: number;
	focused: boolean;
	height: number;
	filter: string;
	empty: string;
	/** Rows in the store when the pane holds only the newest of them. */
	total?: number;
}

/** A pane holding one table, with its row count and active filter in the title line. */
export function TablePane<T>({number, title, columns, rows, selected, focused, height, filter, empty, total}: TablePaneProps<T>) {
	const shown = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
	const status = `${shown}${total !== undefined && total > rows.length && !filter ? ` (the newest of ${total})` : ''}${filter ? `  filter: ${filter}` : ''}`;
	// Border (2) and title (1) take three of the pane's lines.
	return (
		<Pane number={number} title={title} focused={focused} height={height} status={status}>
			<Table columns={columns} rows={rows} selected={selected} height={height - 3} focused={focused} empty={filter ? `no rows match "${filter}"` : empty} />
		</Pane>
	);
}
