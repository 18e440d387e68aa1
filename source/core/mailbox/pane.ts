import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {sleep} from '../clock.js';
import {TmuxError} from '../errors.js';
import type {TmuxClient} from '../tmux/client.js';
import {BatchConfirm, type BatchStart} from './batch-pane.js';
import {isStuck} from './pane-text.js';
import {makePasteDir} from './paste-dirs.js';

/** A live pane and where its cursor is in absolute terms (history lines + cursor row). */
export interface PaneLocation {
	pane: string;
	historySize: number;
	historyLimit: number;
	cursorY: number;
}

/** The row the cursor is on and the rows around it (see `PaneDriver.inputLine`). */
export interface InputLine {
	line: string;
	near: string;
}

/** Where a send started in a pane, stored with `delivering` so a restart can look for it. */
export interface DeliveryMark {
	pane: string;
	/** Absolute row (history + cursor row) the cursor was on before the first key. */
	row: number;
	historyLimit: number;
}

/** Rows above the cursor kept to find a batch's start row again after the history was trimmed. */
const anchorRows = 3;

/** Longest text sent with `send-keys -l`; anything longer or multi-line goes through a paste buffer. */
const sendKeysLimit = 200;

/**
 * The tmux side of delivery: find a pane, read its input line, type text into it literally and
 * confirm it left the input line. Text is never part of a shell string, and never an argument
 * tmux could parse: `send-keys -l` only for short single lines not ending in `;` (tmux's command
 * separator), everything else via a 0600 file, `load-buffer` and a bracketed `paste-buffer`.
 */
export class PaneDriver {
	private tmpDir?: string;
	/** The pane state each input-line read saw, and when (see `recent`). */
	private readonly seen = new Map<string, {location: PaneLocation; at: number}>();

	constructor(private readonly tmux: TmuxClient, private readonly options: {confirmMs?: number; idleMs?: number} = {}) {}

	/**
	 * The active pane of window `target` (or the pane `%N`), or undefined when there is none or it
	 * is dead. `list-panes`, because `display-message -t` falls back to the current pane.
	 */
	async locate(target: string): Promise<PaneLocation | undefined> {
		let lines: string[];
		try {
			lines = await this.tmux.run(['list-panes', '-t', target, '-F', '#{pane_id}\t#{pane_dead}\t#{history_size}\t#{history_limit}\t#{cursor_y}\t#{pane_active}']);
		} catch (error) {
			// No such window or pane, or no server: the recipient is missing now; the router retries with backoff.
			if (error instanceof TmuxError) {
				return undefined;
			}

			throw error;
		}

		const rows = lines.map(line => line.split('\t'));
		const row = target.startsWith('%') ? rows.find(fields => fields[0] === target) : rows.find(fields => fields[5] === '1');
		const [pane, dead, historySize, historyLimit, cursorY] = row ?? [];
		if (!pane || dead === '1') {
			return undefined;
		}

		return {pane, historySize: Number(historySize), historyLimit: Number(historyLimit), cursorY: Number(cursorY)};
	}

	/**
	 * Where `pane` stood at the last input-line read, if that was at most `maxAgeMs` ago and the pane
	 * was alive: lets the next send into a pane that just confirmed one skip a `locate` round trip.
	 * The row is never later than the cursor is now, so a delivery mark taken from it stays valid.
	 */
	recent(pane: string, maxAgeMs: number): PaneLocation | undefined {
		const entry = this.seen.get(pane);
		return entry && Date.now() - entry.at <= maxAgeMs ? entry.location : undefined;
	}

	/**
	 * The pane's rows as shown (row N is cursor row N unless `join` joins wrapped lines); a negative
	 * `start` reaches into the history.
	 */
	async screen(pane: string, start?: number, join = false): Promise<string[]> {
		return this.tmux.run(['capture-pane', '-p', '-N', ...(join ? ['-J'] : []), '-t', pane, ...(start === undefined ? [] : ['-S', String(start)])]);
	}

	/**
	 * The row the cursor is on (where the agent reads input) and the rows around it, read in one
	 * tmux round trip: the cursor row and the screen come from one command line, so they agree.
	 * `then`: tmux commands run right after the read in the same command line (`;`-led).
	 */
	async inputLine(pane: string, then: string[] = []): Promise<InputLine> {
		const [state, ...rows] = await this.tmux.run(['display-message', '-p', '-t', pane, '#{cursor_y}\t#{history_size}\t#{history_limit}\t#{pane_dead}', ';', 'capture-pane', '-p', '-N', '-t', pane, ...then]);
		const [cursorY, historySize, historyLimit, dead] = (state ?? '').split('\t').map(Number);
		const y = cursorY ?? 0;
		if (dead === 0 && historySize !== undefined && historyLimit !== undefined) {
			this.seen.set(pane, {location: {pane, historySize, historyLimit, cursorY: y}, at: Date.now()});
		} else {
			this.seen.delete(pane);
		}

		return {line: rows[y] ?? '', near: rows.slice(Math.max(0, y - 4), y + 4).join('\n')};
	}

	/** Wait until the input line matches `prompt` (the agent is idle); false after `idleMs`. */
	async waitIdle(pane: string, prompt: RegExp): Promise<boolean> {
		const deadline = Date.now() + (this.options.idleMs ?? 1000);
		for (;;) {
			if (prompt.test((await this.inputLine(pane)).line)) {
				return true;
			}

			if (Date.now() > deadline) {
				return false;
			}

			await sleep(10);
		}
	}

	/** Whether `text` goes by `send-keys -l` (short, one line, not ending in tmux's `;`) rather than a paste. */
	static typable(text: string): boolean {
		return text.length <= sendKeysLimit && !text.includes('\n') && !text.endsWith(';');
	}

	/**
	 * Type each of `texts` (all `typable`) and press Enter after each, in one command line (one round
	 * trip), which first reads where the cursor is and the rows above it: where the batch starts.
	 */
	async typeLines(pane: string, texts: readonly string[]): Promise<BatchStart> {
		const keys = texts.flatMap(text => [';', 'send-keys', '-t', pane, '-l', '--', text, ';', 'send-keys', '-t', pane, 'Enter']);
		const [state, ...rows] = await this.tmux.run(['display-message', '-p', '-t', pane, '#{history_size}\t#{history_limit}\t#{cursor_y}', ';', 'capture-pane', '-p', '-N', '-t', pane, ...keys]);
		const [historySize, historyLimit, cursorY] = (state ?? '').split('\t').map(Number) as [number, number, number];
		return {pane, row: historySize + cursorY, historySize, historyLimit, anchor: rows.slice(Math.max(0, cursorY - anchorRows), cursorY)};
	}

	/** How many of `texts`, typed by `typeLines` from `start`, the pane shows in order (see BatchConfirm). */
	async confirmLines(start: BatchStart, texts: readonly string[]): Promise<number> {
		return new BatchConfirm(this.tmux, start).shown(texts, this.options.confirmMs ?? 3000, location => {
			this.seen.set(start.pane, {location: {pane: start.pane, ...location}, at: Date.now()});
		});
	}

	/**
	 * Type `text` into the pane literally, then press Enter; returns the input line as it was just
	 * before the first key (for `confirm`). A short line and its Enter go in the command line that
	 * reads it (one round trip, run back to back); a pasted text gets its Enter in a command of its
	 * own after the paste, so an agent sees the end of the bracketed paste before the Enter.
	 */
	async type(pane: string, text: string): Promise<InputLine> {
		if (PaneDriver.typable(text)) {
			return this.inputLine(pane, [';', 'send-keys', '-t', pane, '-l', '--', text, ';', 'send-keys', '-t', pane, 'Enter']);
		}

		const before = await this.inputLine(pane);
		await this.paste(pane, text);
		await this.enter(pane);
		return before;
	}

	async enter(pane: string): Promise<void> {
		await this.tmux.run(['send-keys', '-t', pane, 'Enter']);
	}

	/**
	 * True once `text` is no longer on the input line. If it still is (or a "[Pasted text" marker
	 * is), Enter is pressed once more; false when it stays stuck for `confirmMs`. With `before`
	 * (the input line as it was before the keys), "not on the input line" counts only once the
	 * agent has reacted: the text was seen there, or the input line or the rows around it changed.
	 * An agent slow to read its input has not echoed the keys yet, and its unchanged input line
	 * must not pass for one that took them (the next message would be typed into its backlog).
	 * A pane that shows no change for `confirmMs` is taken as before: the text is not stuck.
	 */
	async confirm(pane: string, text: string, before?: InputLine): Promise<boolean> {
		const started = Date.now();
		let pressedAgain = false;
		let reacted = false;
		// Short polls first: the echo of an Enter usually shows within a few milliseconds.
		let pause = 2;
		for (;;) {
			const input = await this.inputLine(pane);
			const stuck = isStuck(input, text);
			reacted ||= stuck || before === undefined || input.line !== before.line || input.near !== before.near;
			const waited = Date.now() - started;
			if (!stuck && (reacted || waited > (this.options.confirmMs ?? 3000))) {
				return true;
			}

			// Long enough that a loaded tmux server has shown the echo of the first Enter: an extra
			// Enter on an empty input line is harmless to an agent but shows up as an empty line.
			if (stuck && !pressedAgain && waited > 1000) {
				pressedAgain = true;
				await this.enter(pane);
			} else if (waited > (this.options.confirmMs ?? 3000)) {
				return false;
			}

			await sleep(pause);
			pause = Math.min(15, pause * 2);
		}
	}

	/** Whether `text` (its last line) sits unsent on the input line. */
	async stuck(pane: string, text: string): Promise<boolean> {
		return isStuck(await this.inputLine(pane), text);
	}

	private async paste(pane: string, text: string): Promise<void> {
		this.tmpDir ??= makePasteDir();
		const name = `cmux-${crypto.randomUUID()}`;
		const file = path.join(this.tmpDir, name);
		fs.writeFileSync(file, text, {mode: 0o600, flag: 'wx'});
		try {
			// One command line: the paste runs only if the load succeeded (tmux stops a sequence at an error).
			await this.tmux.run(['load-buffer', '-b', name, file, ';', 'paste-buffer', '-p', '-d', '-b', name, '-t', pane]);
		} finally {
			fs.rmSync(file, {force: true});
		}
	}

	/** Remove the private folder for paste files. */
	close(): void {
		if (this.tmpDir) {
			fs.rmSync(this.tmpDir, {recursive: true, force: true});
			this.tmpDir = undefined;
		}
	}
}

