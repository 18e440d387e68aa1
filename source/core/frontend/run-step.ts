import {spawn} from 'node:child_process';
import {cookieVariable} from '../process/cookie.js';
import {killTree} from '../process/kill-tree.js';

export interface StepResult {
	ok: boolean;
	code: number | null;
	timedOut: boolean;
	ms: number;
	/** The last lines of stdout and stderr, interleaved as they came. */
	output: string[];
}

const keepLines = 20;

/**
 * Run a user-written shell command (`sh -c`) in its own process group with `cookie`, capturing its
 * output. Past `timeout` the whole tree (including anything that setsid'ed away) is killed.
 * Data never enters the command text: values are passed in `env` (e.g. CMUX_OUT).
 */
export async function runStep(command: string, options: {cwd: string; env?: Record<string, string>; timeout: number; cookie: string; grace?: number}): Promise<StepResult> {
	const started = Date.now();
	const child = spawn('sh', ['-c', command], {
		cwd: options.cwd,
		env: {...process.env, ...options.env, [cookieVariable]: options.cookie},
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: string[] = [];
	const partial = {stdout: '', stderr: ''};
	const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
		const parts = (partial[stream] + chunk.toString('utf8')).split('\n');
		partial[stream] = parts.pop()!.slice(-4096);
		lines.push(...parts.filter(line => line.trim() !== ''));
		lines.splice(0, Math.max(0, lines.length - keepLines));
	};

	child.stdout.on('data', collect('stdout'));
	child.stderr.on('data', collect('stderr'));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void killTree({roots: child.pid === undefined ? [] : [child.pid], cookie: options.cookie, grace: options.grace ?? 2000});
	}, options.timeout);
	const code = await new Promise<number | null>(resolve => {
		child.once('error', error => {
			lines.push(error.message);
			resolve(null);
		});
		child.once('close', exitCode => {
			resolve(exitCode);
		});
	});
	clearTimeout(timer);
	for (const rest of [partial.stdout, partial.stderr]) {
		if (rest.trim() !== '') {
			lines.push(rest);
		}
	}

	if (timedOut) {
		lines.push(`(killed after ${options.timeout}ms)`);
	} else {
		// The leader exited; whatever it left behind in its group is ours to clean up.
		await killTree({roots: [], cookie: options.cookie, grace: 500});
	}

	return {ok: !timedOut && code === 0, code, timedOut, ms: Date.now() - started, output: lines.slice(-keepLines)};
}
