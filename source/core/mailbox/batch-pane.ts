import {sleep} from '../clock.js';
import type {TmuxClient} from '../tmux/client.js';
import type {DeliveryMark} from './pane.js';
import {isStuck} from './pane-text.js';

/**
 * Where a batch's typing started, read in the command line that typed it (so nothing came between):
 * the cursor's absolute row (history + cursor row) and the rows just above it, which a line-based
 * agent does not rewrite: they find the start row again after tmux trimmed the history.
 */
export interface BatchStart extends DeliveryMark {
	historySize: number;
	anchor: string[];
}

/** The pane's rows from `first` (absolute) to the bottom: as they are, and with wrapped rows joined. */
interface View {
	first: number;
	physical: string[];
	joined: string[];
	historySize: number;
	historyLimit: number;
	cursorY: number;
}

/** Rows read above the row a look needs, for history that grew since the last look: this many, and this many per text typed. */
const margin = 20;
const marginPerText = 4;

/**
 * Confirms a batch of short lines typed back to back into a line-based agent: each text must show,
 * in order, at the end of a line of its own from the batch's start row down to above the input
 * line. Only a leading run of shown texts counts; the rest go back to the router's careful retry.
 */
export class BatchConfirm {
	private start: number;
	private historySize: number;
	private margin = margin;

	constructor(private readonly tmux: TmuxClient, private readonly from: BatchStart) {
		this.start = from.row;
		this.historySize = from.historySize;
	}

	/**
	 * How many of `texts` (from the first) the pane shows, waiting up to `confirmMs` for all of
	 * them; Enter is pressed once more when the last text still sits on the input line after a second.
	 */
	async shown(texts: readonly string[], confirmMs: number, onLook: (location: {historySize: number; historyLimit: number; cursorY: number}) => void): Promise<number> {
		const started = Date.now();
		this.margin = margin + (marginPerText * texts.length);
		let pressedAgain = false;
		let pause = 2;
		let count = 0;
		for (;;) {
			const look = await this.look();
			if (!look) {
				return count;
			}

			onLook({historySize: look.view.historySize, historyLimit: look.view.historyLimit, cursorY: look.view.cursorY});
			count = shownInOrder(look.lines, texts);
			const waited = Date.now() - started;
			if (count === texts.length || waited > confirmMs) {
				return count;
			}

			if (!pressedAgain && waited > 1000 && isStuck({line: look.input, near: look.input}, texts.at(-1)!)) {
				pressedAgain = true;
				await this.tmux.run(['send-keys', '-t', this.from.pane, 'Enter']);
			}

			await sleep(pause);
			pause = Math.min(15, pause * 2);
		}
	}

	/**
	 * The lines from the start row to above the input line, and the input line; undefined when they
	 * cannot be known for sure (the pane died, the start row is not found again, the rows do not add up).
	 */
	private async look(): Promise<{lines: string[]; input: string; view: View} | undefined> {
		let view = await this.view(this.start);
		if (view && !this.anchored(view, this.start)) {
			// tmux trims a full history by a tenth of its limit at once: the start row moved up by a multiple of that.
			const trim = Math.max(1, Math.floor(view.historyLimit / 10));
			view = undefined;
			for (let times = 1; times <= 3 && view === undefined && this.start - (times * trim) >= this.from.anchor.length; times++) {
				const candidate = await this.view(this.start - (times * trim));
				if (candidate && this.anchored(candidate, this.start - (times * trim))) {
					this.start -= times * trim;
					view = candidate;
				}
			}
		}

		return view && linesOf(view, this.start);
	}

	/** Whether the rows above `start` in `view` are the anchor rows read when the batch was typed. */
	private anchored(view: View, start: number): boolean {
		const {anchor} = this.from;
		return anchor.every((row, index) => view.physical[start - anchor.length + index - view.first]?.trimEnd() === row.trimEnd());
	}

	/** The rows from the anchor above `start` down, read again when the history grew past the margin meanwhile. */
	private async view(start: number): Promise<View | undefined> {
		for (let tries = 0; tries < 3; tries++) {
			const begin = String(start - this.from.anchor.length - this.historySize - this.margin);
			const [state, ...output] = await this.tmux.run(['display-message', '-p', '-t', this.from.pane, '#{history_size}\t#{history_limit}\t#{cursor_y}\t#{pane_height}\t#{pane_dead}',
				';', 'capture-pane', '-p', '-N', '-t', this.from.pane, '-S', begin, ';', 'capture-pane', '-p', '-N', '-J', '-t', this.from.pane, '-S', begin]);
			const [historySize, historyLimit, cursorY, height, dead] = (state ?? '').split('\t').map(Number) as [number, number, number, number, number];
			if (dead !== 0 || ![historySize, historyLimit, cursorY, height].every(Number.isInteger)) {
				return undefined;
			}

			this.historySize = historySize;
			const first = historySize + Math.max(Number(begin), -historySize);
			const physical = output.slice(0, historySize + height - first);
			if (first <= Math.max(0, start - this.from.anchor.length)) {
				return {first, physical, joined: output.slice(physical.length), historySize, historyLimit, cursorY};
			}
		}

		return undefined;
	}
}

/** The joined lines that end on or after `start` and before the input line, and the input line. */
function linesOf(view: View, start: number): {lines: string[]; input: string; view: View} | undefined {
	const cursor = view.historySize + view.cursorY;
	const lines: string[] = [];
	let row = view.first;
	for (const line of view.joined) {
		let text = '';
		do {
			text += view.physical[row - view.first] ?? '';
			row++;
		} while (text.length < line.length && row - view.first < view.physical.length);
		if (text !== line) {
			return undefined;
		}

		if (cursor < row) {
			return {lines, input: line, view};
		}

		if (row > start) {
			lines.push(line);
		}
	}

	return undefined;
}

/** Compare with all whitespace removed: a pane wraps and pads lines, it does not change their characters. */
function compact(text: string): string {
	return text.replaceAll(/\s+/g, '');
}

/** How many of `texts`, from the first, end successive lines of `lines` (each line confirms at most one text). */
export function shownInOrder(lines: readonly string[], texts: readonly string[]): number {
	let line = 0;
	let count = 0;
	for (const text of texts) {
		const wanted = compact(text);
		while (line < lines.length && !compact(lines[line]!).endsWith(wanted)) {
			line++;
		}

		if (line === lines.length) {
			break;
		}

		count++;
		line++;
	}

	return count;
}
