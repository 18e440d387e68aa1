import type {Socket} from 'node:net';
import {execa, type ResultPromise} from 'execa';
import {CmuxError} from '../errors.js';

/** CMUX's writers (`tools/mailbox`, its router and Python services) all take this lock with flock(2). */
export const cmuxMailboxLock = '/tmp/cmux-mailbox.lock';

/**
 * Node has no flock(2), and no well-kept npm package offers it without a native build (fs-ext needs
 * node-gyp), so one small helper process per lock file holds the lock for us: python3's fcntl.flock
 * (no process per lock: about 4× faster than the alternative), else a constant sh loop around
 * flock(1) from util-linux — the same two CMUX's own scripts use. It lives as long as this process (one spawn, not one per append):
 * `l` takes the lock (`locked`), `u` closes the descriptor, which releases it (`unlocked`). The
 * lock path is an argument, never part of a command text.
 */
const helpers: Array<{file: string; args: (lock: string) => string[]}> = [
	{file: 'python3', args: lock => ['-c', 'import fcntl,sys\nf=None\nfor op in iter(sys.stdin.readline, ""):\n  if op.strip()=="l":\n    f=open(sys.argv[1],"a"); fcntl.flock(f,fcntl.LOCK_EX); print("locked",flush=True)\n  else:\n    f and f.close(); f=None; print("unlocked",flush=True)', lock]},
	{file: 'sh', args: lock => ['-c', 'command -v flock >/dev/null || exit 127; while read -r op; do if [ "$op" = l ]; then exec 9>>"$1" && flock -x 9 && echo locked || echo failed; else exec 9>&-; echo unlocked; fi; done', 'sh', lock]},
];

class FlockHelper {
	private child?: ResultPromise;
	private replies: Array<(line: string) => void> = [];
	private buffered = '';
	private exited?: string;

	constructor(private readonly lockFile: string, private readonly helper: {file: string; args: (lock: string) => string[]}) {}

	/** Send one operation and wait for its reply line (`locked`, `unlocked`), or why there is none. */
	async ask(op: 'l' | 'u', timeoutMs: number): Promise<string> {
		const child = this.spawn();
		if (this.exited !== undefined) {
			return this.exited;
		}

		const reply = new Promise<string>(resolve => {
			const timer = setTimeout(() => {
				this.replies = this.replies.filter(waiting => waiting !== done);
				resolve(`not acquired within ${timeoutMs} ms (another writer holds it)`);
			}, timeoutMs);
			const done = (line: string) => {
				clearTimeout(timer);
				resolve(line);
			};

			this.replies.push(done);
		});
		// Referenced while waiting, so a short-lived CLI does not exit with the reply pending.
		(child.stdout as Socket).ref();
		child.stdin!.write(`${op}\n`);
		const line = await reply;
		(child.stdout as Socket).unref();
		if (line !== 'locked' && line !== 'unlocked') {
			this.close();
		}

		return line;
	}

	close(): void {
		this.child?.kill('SIGKILL');
		this.child = undefined;
	}

	private spawn(): ResultPromise {
		if (this.child) {
			return this.child;
		}

		const child = execa(this.helper.file, this.helper.args(this.lockFile), {stdin: 'pipe', stdout: 'pipe', stderr: 'ignore', reject: false, buffer: false});
		this.child = child;
		this.exited = undefined;
		child.stdout!.on('data', (chunk: Buffer) => {
			this.buffered += chunk.toString();
			let newline: number;
			while ((newline = this.buffered.indexOf('\n')) !== -1) {
				const line = this.buffered.slice(0, newline);
				this.buffered = this.buffered.slice(newline + 1);
				this.replies.shift()?.(line);
			}
		});
		child.then(result => {
			const code = (result as {code?: string}).code;
			this.exited = code === 'ENOENT' || result.exitCode === 127 ? 'missing' : `the lock helper exited (code ${result.exitCode ?? '?'})`;
			if (this.child === child) {
				this.child = undefined;
			}

			for (const waiting of this.replies.splice(0)) {
				waiting(this.exited);
			}
		}, () => {
			// reject is false: execa settles with the result instead; nothing to swallow here.
		});
		// The helper never keeps this process alive: it ends on EOF when this process exits.
		child.unref();
		(child.stdin as unknown as Socket).unref();
		(child.stdout as Socket).unref();
		return child;
	}
}

const active = new Map<string, {helper: Promise<FlockHelper>; queue: Promise<unknown>}>();

/**
 * Take an exclusive flock on `lockFile` (created when missing) and resolve with the function that
 * releases it. Callers in one process queue up; other processes (CMUX's tools, other cmux-tui
 * commands) wait in the kernel. Throws a CmuxError when the lock is not had within `timeoutMs`
 * (a writer holding it that long is stuck) or when neither flock(1) nor python3 can be run.
 */
export async function holdFlock(lockFile: string, timeoutMs = 10_000): Promise<() => Promise<void>> {
	let slot = active.get(lockFile);
	if (!slot) {
		slot = {helper: pickHelper(lockFile, timeoutMs), queue: Promise.resolve()};
		active.set(lockFile, slot);
	}

	let release!: () => void;
	const turn = slot.queue;
	slot.queue = new Promise<void>(resolve => {
		release = resolve;
	});
	await turn;
	let helper: FlockHelper;
	try {
		helper = await slot.helper;
	} catch (error) {
		active.delete(lockFile);
		release();
		throw error;
	}

	const line = await helper.ask('l', timeoutMs);
	if (line !== 'locked') {
		release();
		throw new CmuxError(`mailbox lock ${lockFile}: ${line}`);
	}

	return async () => {
		try {
			const reply = await helper.ask('u', timeoutMs);
			if (reply !== 'unlocked') {
				// The helper is gone (closed above), and with it its descriptor: the lock is free.
				active.delete(lockFile);
			}
		} finally {
			release();
		}
	};
}

async function pickHelper(lockFile: string, timeoutMs: number): Promise<FlockHelper> {
	for (const candidate of helpers) {
		const helper = new FlockHelper(lockFile, candidate);
		const line = await helper.ask('u', timeoutMs);
		if (line === 'unlocked') {
			return helper;
		}

		helper.close();
	}

	throw new CmuxError(`mailbox lock ${lockFile}: neither flock(1) nor python3 is installed (one is needed to share CMUX's lock)`);
}

/**
 * Start the lock helper for `lockFile` now (take and release the lock once), so the first append
 * a service makes later does not wait for a process to start. Failures are left for that append
 * to report.
 */
export async function warmFlock(lockFile: string): Promise<void> {
	try {
		const release = await holdFlock(lockFile);
		await release();
	} catch {
		// Reported by the first real append, which retries the helper and names the problem.
	}
}
