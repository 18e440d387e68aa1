import type {TableRow} from '../data/rows.js';

/** A column: sized to its content between `min` and `max`, or `grow` to take what is left. */
export interface Column {
	title: string;
	min?: number;
	max?: number;
	/** Takes the width left over (shared by weight); at least `min`. */
	grow?: number;
	/** The column that gets the row's state tone. */
	state?: boolean;
	align?: 'left' | 'right';
	/** Dropped (last first) when the table is too narrow for every column. */
	optional?: boolean;
}

/** Columns are separated by one space; the selection mark takes one column before them. */
const gap = 1;

/**
 * Widths of the columns that fit in `width`, sized to the longest cell (or title) of `rows`:
 * `[index, width]` pairs in column order. Nothing is wider than `width` in total.
 */
export function columnWidths<T>(columns: readonly Column[], rows: ReadonlyArray<TableRow<T>>, width: number): Array<[number, number]> {
	const room = width - 1;
	const natural = columns.map((column, index) => {
		// One more than the title: room for the sort mark (▲/▼).
		let longest = column.title.length + 1;
		for (const row of rows) {
			longest = Math.max(longest, [...(row.cells[index] ?? '')].length);
		}

		return Math.min(column.max ?? longest, Math.max(column.min ?? 1, longest));
	});
	let shown = columns.map((_, index) => index);
	const need = (indexes: number[]) => indexes.reduce((sum, index) => sum + (columns[index]!.grow ? columns[index]!.min ?? 4 : natural[index]!) + gap, 0);
	while (need(shown) > room) {
		const drop = [...shown].reverse().find(index => columns[index]!.optional);
		if (drop === undefined) {
			break;
		}

		shown = shown.filter(index => index !== drop);
	}

	const fixed = shown.filter(index => !columns[index]!.grow).reduce((sum, index) => sum + natural[index]! + gap, 0);
	const growing = shown.filter(index => columns[index]!.grow);
	const weight = growing.reduce((sum, index) => sum + columns[index]!.grow!, 0);
	let left = Math.max(0, room - fixed - growing.length * gap);
	const widths = new Map<number, number>();
	for (const index of shown) {
		if (!columns[index]!.grow) {
			widths.set(index, natural[index]!);
		}
	}

	for (const [position, index] of growing.entries()) {
		const column = columns[index]!;
		// A growing column needs no more than its longest cell; the rest goes to the others.
		const share = position === growing.length - 1 ? left : Math.floor(left * column.grow! / weight);
		const size = Math.max(0, Math.min(share, Math.max(column.min ?? 4, natural[index]! + (position === growing.length - 1 ? share : 0))));
		widths.set(index, size);
		left -= size;
	}

	// Squeeze from the right when even the minimums do not fit: nothing may pass `width`.
	let total = [...widths.values()].reduce((sum, size) => sum + size + gap, 0);
	for (const index of [...shown].reverse()) {
		if (total <= room) {
			break;
		}

		const cut = Math.min(widths.get(index)!, total - room);
		widths.set(index, widths.get(index)! - cut);
		total -= cut;
	}

	return shown.map(index => [index, widths.get(index)!] as [number, number]).filter(([, size]) => size > 0);
}
