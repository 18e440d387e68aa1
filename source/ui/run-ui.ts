import type {Orchestrator} from '../core/orchestrator.js';
import type {UiResult} from './commands.js';
import {partingLine} from './data/parting.js';
import {enterScreen, leaveScreen} from './terminal.js';

/**
 * Show the TUI on this terminal until the user quits: `q` resolves `quit` (agents keep running),
 * `Q` resolves `stop-all` after confirmation (the caller stops everything). Ctrl-C quits like `q`.
 * The TUI draws on the alternate screen; on the way out the user's screen comes back and, after
 * `q`, one line says what keeps running and how to stop it.
 */
export async function runUi(orchestrator: Orchestrator): Promise<UiResult> {
	const [{createElement}, {render}, {UiRoot}] = await importProductionReact(async () => Promise.all([import('react'), import('ink'), import('./ui-root.js')]));
	let result: UiResult = 'quit';
	enterScreen(process.stdout);
	const instance = render(createElement(UiRoot, {
		orchestrator,
		onExit(chosen: UiResult) {
			result = chosen;
			instance.unmount();
		},
	}), {maxFps: 10});
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

		leaveScreen(process.stdout);
	}

	// After a signal the caller's signal handler decides how the run ends; never report a quit.
	if (signalled) {
		return new Promise<UiResult>(() => {});
	}

	if (result === 'quit') {
		process.stdout.write(`${partingLine(orchestrator)}\n`);
	}

	return result;
}

/** Variables that make Ink draw only the last frame (is-in-ci) and chalk drop every style (supports-color). */
const ciVariables = ['CI', 'CONTINUOUS_INTEGRATION'];

/**
 * React picks its development or production build when first imported, from NODE_ENV. The
 * development build costs about 2.5× per render, so unless NODE_ENV is set, load the production
 * build. The environment is restored afterwards: agents and the dev server inherit it and must not
 * see variables they were not given.
 */
async function importProductionReact<T>(load: () => Promise<T>): Promise<T> {
	const saved: Record<string, string | undefined> = {NODE_ENV: process.env.NODE_ENV};
	process.env.NODE_ENV ??= 'production';
	// Ink (is-in-ci) and chalk (supports-color) decide once, on import, from the environment. We get
	// here only with a terminal on stdout and stdin, so a CI variable must not turn the live screen
	// off. It has to be absent, not "false": chalk treats any CI variable as "no colour at all".
	for (const name of ciVariables) {
		saved[name] = process.env[name];
		delete process.env[name];
	}

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
