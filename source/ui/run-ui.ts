import type {Orchestrator} from '../core/orchestrator.js';
import type {UiResult} from './commands.js';

/**
 * Show the TUI on this terminal until the user quits: `q` resolves `quit` (agents keep running),
 * `Q` resolves `stop-all` after confirmation (the caller stops everything). Ctrl-C quits like `q`.
 */
export async function runUi(orchestrator: Orchestrator): Promise<UiResult> {
	const [{createElement}, {render}, {UiRoot}] = await importProductionReact(async () => Promise.all([import('react'), import('ink'), import('./ui-root.js')]));
	let result: UiResult = 'quit';
	const instance = render(createElement(UiRoot, {
		orchestrator,
		onExit(chosen: UiResult) {
			result = chosen;
			instance.unmount();
		},
	}));
	await instance.waitUntilExit();
	return result;
}

/**
 * React picks its development or production build when first imported, from NODE_ENV. The
 * development build costs about 2.5× per render, so unless NODE_ENV is set, load the production
 * build, then restore the environment: agents and the dev server inherit it and must not see a
 * NODE_ENV they were not given.
 */
async function importProductionReact<T>(load: () => Promise<T>): Promise<T> {
	if (process.env.NODE_ENV !== undefined) {
		return load();
	}

	process.env.NODE_ENV = 'production';
	try {
		return await load();
	} finally {
		delete process.env.NODE_ENV;
	}
}
