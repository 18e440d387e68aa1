import fs from 'node:fs';
import {sleep} from './clock.js';
import {z} from 'zod';
import {StateError} from './errors.js';
import {parseValue, readTextIfExists} from './input.js';
import {isAlive, startOf} from './process/table.js';

/**
 * One orchestrator per project: `.cmux/orchestrator.pid` is created exclusively; a file left by a
 * dead process is taken over. Returns a release function.
 */
export function acquirePidLock(file: string): () => void {
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			// The start time tells our pid apart from a later process that reused it after a crash.
			fs.writeFileSync(file, `${process.pid} ${startOf(process.pid) ?? ''}\n`, {flag: 'wx', mode: 0o600});
			return () => {
				if (readPid(file) === process.pid) {
					fs.rmSync(file, {force: true});
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}

		const holder = runningOrchestrator(file);
		if (holder !== undefined && holder !== process.pid) {
			throw new StateError(`an orchestrator is already running for this project (pid ${holder}); stop it with \`cmux-tui stop\` or wait for it to exit`);
		}

		fs.rmSync(file, {force: true});
	}

	throw new StateError(`cannot take the orchestrator lock ${file}`);
}

/** A pid file's one line: `PID [START]`, the start time as the process table reports it. */
const pidLineSchema = z.object({pid: z.coerce.number().int().positive(), start: z.string().optional()});

/**
 * The pid file's content, or undefined when it does not exist or does not parse: a file no
 * orchestrator could have written names no process we may trust, so it counts as stale.
 */
export function readPidFile(file: string): z.infer<typeof pidLineSchema> | undefined {
	const text = readTextIfExists(file);
	if (text === undefined) {
		return undefined;
	}

	const [pid = '', start] = text.trim().split(/\s+/);
	const parsed = parseValue(pidLineSchema, {pid, ...(start ? {start} : {})}, file);
	return parsed.ok ? parsed.value : undefined;
}

/** The pid recorded in a pid file, or undefined. */
export function readPid(file: string): number | undefined {
	return readPidFile(file)?.pid;
}

/** The pid of the orchestrator that wrote `file`, while that very process still runs. */
export function runningOrchestrator(file: string): number | undefined {
	const record = readPidFile(file);
	if (!record || !isAlive(record.pid)) {
		return undefined;
	}

	return record.start === undefined || startOf(record.pid) === record.start ? record.pid : undefined;
}

/** What `stopOrchestrator` did: the pid, whether SIGKILL was needed, and whether it is still alive. */
export interface OrchestratorStop {
	pid: number;
	killed: boolean;
	survived: boolean;
}

/**
 * Ask the orchestrator holding `file` to exit: one SIGTERM, up to `grace` ms for its orderly stop,
 * then SIGKILL, then up to `killWait` ms to see that very process (pid and start time) gone. The
 * start time is checked before each signal, so a pid reused meanwhile is never hit.
 */
export async function stopOrchestrator(file: string, options: {grace?: number; killWait?: number} = {}): Promise<OrchestratorStop | undefined> {
	const pid = runningOrchestrator(file);
	const start = pid === undefined ? undefined : startOf(pid);
	if (pid === undefined || pid === process.pid || start === undefined) {
		return undefined;
	}

	const same = () => isAlive(pid) && startOf(pid) === start;
	const waitGone = async (ms: number) => {
		for (const deadline = Date.now() + ms; same() && Date.now() < deadline;) {
			await sleep(50);
		}
	};

	signal(pid, 'SIGTERM');
	await waitGone(options.grace ?? 15_000);
	let killed = false;
	if (same()) {
		killed = true;
		signal(pid, 'SIGKILL');
		await waitGone(options.killWait ?? 2000);
	}

	return {pid, killed, survived: same()};
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch (error) {
		// ESRCH: it exited between the check and the signal, which is what was wanted.
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
			throw new StateError(`cannot signal the orchestrator (pid ${pid}): ${(error as Error).message}`, {cause: error});
		}
	}
}
