import type {ChildProcessWithoutNullStreams} from 'node:child_process';

/**
 * End a `tmux -C` client process: closing its stdin makes tmux detach and exit; one that is still
 * there after a second is killed. Resolves once it has exited (at once when it already has).
 */
export async function endControlChild(child: ChildProcessWithoutNullStreams | undefined): Promise<void> {
	if (child && child.exitCode === null && child.signalCode === null) {
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
		await exited;
		clearTimeout(timer);
	}
}
