import {execa} from 'execa';

/**
 * CMUX's side, from its own scripts: `tools/mailbox` builds each line with `jq -cn` and appends it
 * under `flock -x` on fd 9 of the lock file (src/orchestrator/lib/filelock.sh). `hold` keeps the
 * lock until `proceed` is called, then appends the line and releases, as a slow CMUX writer would.
 */
export function cmuxAppend(mailbox: string, lock: string, fields: Record<string, string>, options: {hold?: boolean} = {}) {
	const jqArgs = Object.entries(fields).flatMap(([key, value]) => ['--arg', key, value]);
	const filter = `{${Object.keys(fields).map(key => `${key}: $${key}`).join(', ')}}`;
	const script = [
		'mailbox="$1"; lock="$2"; shift 2',
		'line=$(jq -cn "$@")',
		'exec 9>"$lock"',
		'flock -x 9',
		'echo held',
		// A held writer waits for its cue on stdin before it appends.
		'if [ "$HOLD" = 1 ]; then read -r _; fi',
		'printf \'%s\\n\' "$line" >> "$mailbox"',
		'exec 9>&-',
	].join('\n');
	const child = execa('bash', ['-c', script, 'bash', mailbox, lock, ...jqArgs, filter], {env: {HOLD: options.hold ? '1' : '0'}, stdin: 'pipe', buffer: {stdout: true}});
	const held = new Promise<void>(resolve => {
		child.stdout.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('held')) {
				resolve();
			}
		});
	});
	return {
		held,
		proceed() {
			child.stdin.end('go\n');
		},
		done: child,
	};
}
