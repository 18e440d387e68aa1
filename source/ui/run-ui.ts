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
	// Ink restores the terminal on a signal through signal-exit, which re-raises the signal (killing
	// the process before `cmux-tui run` has stopped its services) when no other listener is left.
	// This listener keeps that from happening and lets the caller's own handler shut down and exit 130.
	let signalled = false;
	const onSignal = () => {
		signalled = true;
		instance.unmount();
	};

	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	try {
		await instance.waitUntilExit();
	} finally {
		for (const signal of signals) {
			process.off(signal, onSignal);
		}
	}

	// After a signal the caller's signal handler decides how the run ends; never report a quit.
	return signalled ? new Promise<UiResult>(() => {}) : result;
}

/**
 * React picks its development or production build when first imported, from NODE_ENV. The
 * development build costs about 2.5× per render, so unless NODE_ENV is set, load the production
 * build. The environment is restored afterwards: agents and the dev server inherit it and must not
 * see variables they were not given.
 */
async function importProductionReact<T>(load: () => Promise<T>): Promise<T> {
	const saved = {NODE_ENV: process.env.NODE_ENV, CI: process.env.CI};
	process.env.NODE_ENV ??= 'production';
	// Ink decides once, on import, whether it runs in CI (then it draws only the last frame). We get
	// here only with a terminal on stdout and stdin, so a CI variable in the environment must not
	// turn the live screen off.
	process.env.CI = 'false';
	try {
		return await load();
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) {
				delete process.env[key];
			} else {
				process.env[key] = value;
			}
		}
	}
}
