import {z} from 'zod';
import {parseValue, readTextIfExists} from '../input.js';
import type {ServiceContext} from '../orchestrator.js';
import {alreadyGone} from '../tmux/gone.js';
import {exitStatusFile} from './launch.js';
import type {PaneInfo} from './windows.js';

/** tmux marks a pane dead when its terminal closes, a moment before it has the exit status: wait for it briefly. */
export async function paneExitStatus(context: ServiceContext, pane: PaneInfo, name: string): Promise<{deadStatus?: number}> {
	const recorded = readExitStatus(exitStatusFile(context.paths.root, name));
	if (recorded !== undefined) {
		return {deadStatus: recorded};
	}

	// A window started by an older run has no recorded status: ask tmux.
	for (let attempt = 0; pane.deadStatus === undefined && attempt < 100; attempt++) {
		await new Promise(resolve => setTimeout(resolve, 20));
		const [status = ''] = await context.tmux.run(['display-message', '-p', '-t', pane.paneId, '#{pane_dead_status}']).catch(alreadyGone);
		if (status !== '') {
			return {deadStatus: Number(status)};
		}
	}

	return pane.deadStatus === undefined ? {} : {deadStatus: pane.deadStatus};
}

/** What the launch wrapper writes: the exit status, a number 0-255 on one line. */
const exitStatusSchema = z.coerce.number().int().min(0).max(255);

/**
 * The status the launch wrapper wrote, or undefined when there is none (yet, or not complete: the
 * wrapper ends it with a newline; then tmux is asked).
 */
export function readExitStatus(file: string): number | undefined {
	const text = readTextIfExists(file);
	if (text === undefined || !text.endsWith('\n')) {
		return undefined;
	}

	const parsed = text.trim() === '' ? undefined : parseValue(exitStatusSchema, text.trim(), file);
	return parsed?.ok ? parsed.value : undefined;
}
