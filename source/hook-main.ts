import process from 'node:process';
import {findProjectRoot} from './core/config/paths.js';
import {appendSpool, slimPayload} from './core/supervision/signals/spool.js';

/*
 * `cmux-tui hook`: the fast path an agent's own hooks call. It loads node built-ins and small modules
 * (bin/cmux-tui imports it before yargs, Ink or SQLite), reads at most `maxInput` bytes of stdin for at
 * most `stdinTimeout` ms, spools the payload and always exits 0: a hook must never block or fail
 * the agent. Codex `notify` passes its JSON as the last argument instead of on stdin.
 */

const maxInput = 256 * 1024;
const stdinTimeout = 1000;

function option(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index > 0 ? process.argv[index + 1] : undefined;
}

function projectRoot(): string {
	return process.env.CMUX_PROJECT_ROOT || findProjectRoot(process.cwd());
}

async function readStdin(): Promise<string> {
	if (process.stdin.isTTY) {
		return '';
	}

	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = () => {
			clearTimeout(timer);
			process.stdin.pause();
			process.stdin.removeAllListeners();
			resolve(Buffer.concat(chunks).toString('utf8'));
		};

		const timer = setTimeout(finish, stdinTimeout);
		process.stdin.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			size += chunk.length;
			if (size >= maxInput) {
				finish();
			}
		});
		process.stdin.on('end', finish);
		process.stdin.on('error', finish);
	});
}

/** A payload too large or broken to parse still names its event: pick the fields out of the text. */
function salvage(text: string): Record<string, unknown> {
	const payload: Record<string, unknown> = {};
	for (const key of ['hook_event_name', 'notification_type', 'session_id', 'type', 'error']) {
		const match = new RegExp(`"${key}"\\s*:\\s*"([^"\\\\]{0,200})"`).exec(text);
		if (match) {
			payload[key] = match[1];
		}
	}

	return payload;
}

function parse(text: string): Record<string, unknown> {
	try {
		const value = JSON.parse(text) as unknown;
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
	} catch {
		return salvage(text);
	}
}

async function main(): Promise<void> {
	const kind = option('--kind') ?? process.env.CMUX_AGENT_KIND ?? 'generic';
	const agent = option('--agent') ?? process.env.CMUX_AGENT_NAME;
	const last = process.argv.at(-1) ?? '';
	const text = last.trimStart().startsWith('{') ? last : await readStdin();
	if (kind === 'gemini') {
		// Gemini CLI reads a hook's stdout as JSON: an empty object changes nothing.
		process.stdout.write('{}\n');
	}

	if (!agent) {
		process.stderr.write('cmux-tui: hook: CMUX_AGENT_NAME is not set (not started by cmux-tui); ignored\n');
		return;
	}

	const ts = Date.now();
	appendSpool(projectRoot(), {v: 1, agent, kind, ts, id: `${process.pid}-${ts}-${Math.random().toString(36).slice(2, 10)}`, payload: slimPayload(parse(text))});
}

try {
	await main();
} catch (error) {
	process.stderr.write(`cmux-tui: hook: ${error instanceof Error ? error.message : String(error)}\n`);
}

process.exitCode = 0;
