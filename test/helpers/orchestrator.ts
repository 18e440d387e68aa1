import {spawn, type ChildProcess} from 'node:child_process';
import {cliPath} from './paths.js';
import {waitFor} from './wait.js';

/** A real `cmux-tui run --no-ui` process and what it printed, line by line. */
export interface RunningCli {
	child: ChildProcess;
	/** Every stdout line so far. */
	lines: string[];
	/** The NDJSON events so far (with `--json`). */
	events: () => Array<Record<string, unknown>>;
	/** Wait until an event matching `match` was printed; returns it. */
	waitEvent: (match: (event: Record<string, unknown>) => boolean, what: string, timeout?: number) => Promise<Record<string, unknown>>;
	/** SIGTERM and wait for the exit code (SIGKILL after 10 s). */
	stop: () => Promise<number | null>;
}

/** Start the real CLI's orchestrator headless in `cwd`. */
export function runOrchestrator(cwd: string, env: Record<string, string>, args: string[] = ['run', '--no-ui', '--json']): RunningCli {
	const child = spawn(process.execPath, [cliPath, ...args], {cwd, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	const lines: string[] = [];
	let partial = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		const parts = (partial + chunk).split('\n');
		partial = parts.pop()!;
		lines.push(...parts);
	});
	child.stderr!.resume();
	const exited = new Promise<number | null>(resolve => {
		child.once('exit', code => {
			resolve(code);
		});
	});
	const events = () => lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>);
	return {
		child,
		lines,
		events,
		async waitEvent(match, what, timeout = 20_000) {
			return waitFor(() => events().find(event => match(event)), {what, timeout});
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) {
				return child.exitCode;
			}

			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			const code = await exited;
			clearTimeout(timer);
			return code;
		},
	};
}
