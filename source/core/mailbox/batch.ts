import {sleep} from '../clock.js';
import {isStuck, type PaneDriver} from './pane.js';

/** Text with every whitespace removed: rows wrap and pad where they like, the characters stay in order. */
function compact(text: string): string {
	return text.replaceAll(/\s+/g, '');
}

/**
 * Confirm a batch typed with `PaneDriver.typeLines`: true once the LAST text shows in the pane at
 * or after `markRow` (it was typed and echoed where the agent reads input) and is no longer on the
 * input line (its Enter was taken). The texts went in order on one command line, so the earlier
 * ones reached the pane before it. Enter is pressed once more if the last text is still on the
 * input line after a second; false after `confirmMs`.
 */
export async function confirmShown(driver: PaneDriver, pane: string, texts: readonly string[], markRow: number, confirmMs = 3000): Promise<boolean> {
	const last = texts.at(-1)!;
	const wanted = compact(last);
	// Room for the echo of every text, an answer line after each and a screen of output after them.
	const history = Math.min(2000, (texts.length * 3) + 50);
	const started = Date.now();
	let pressedAgain = false;
	let pause = 2;
	for (;;) {
		const look = await driver.look(pane, history, markRow);
		if (compact(look.rows.join('')).includes(wanted) && !isStuck(look, last)) {
			return true;
		}

		const waited = Date.now() - started;
		if (!pressedAgain && waited > 1000 && isStuck(look, last)) {
			pressedAgain = true;
			await driver.enter(pane);
		} else if (waited > confirmMs) {
			return false;
		}

		await sleep(pause);
		pause = Math.min(15, pause * 2);
	}
}

/** Whether `text` shows in the pane's last rows and is not on its input line (a late-confirmed send). */
export async function shownOffInput(driver: PaneDriver, pane: string, text: string): Promise<boolean> {
	const look = await driver.look(pane, 400);
	return compact(look.rows.join('')).includes(compact(text)) && !isStuck(look, text);
}
