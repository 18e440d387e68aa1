import type {Check} from '../health/checks.js';
import {checkFrontend} from './check.js';

/** `cmux-tui check`: the frontend bundle is complete and its url answers. */
export const frontendCheck: Check = async ({config, paths}) => {
	if (!config.frontend) {
		return [{name: 'frontend', ok: true, detail: 'not configured'}];
	}

	const check = await checkFrontend(config.frontend, paths.root);
	return [{name: 'frontend', ok: check.ok, detail: check.ok ? 'bundle complete' : `${check.problems.join('; ')} (rebuild with \`cmux-tui frontend rebuild\`)`}];
};
