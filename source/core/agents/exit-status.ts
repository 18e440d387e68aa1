import fs from 'node:fs';
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

/** The status the launch wrapper wrote, or undefined when there is none (yet). */
function readExitStatus(file: string): number | undefined {
	try {
		const status = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
		return Number.isInteger(status) ? status : undefined;
	} catch {
		return undefined;
	}
}
