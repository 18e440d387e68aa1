#!/usr/bin/env node
// `npm run demo`: the orchestrator on fixtures/demo-project (fixture agents, dev server, frontend,
// log spammer). The TUI on a terminal, headless NDJSON-free text otherwise. Ctrl-C (or q) ends it;
// `node bin/cmux-tui stop --project fixtures/demo-project` stops what it started.
import {spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const project = fileURLToPath(new URL('../fixtures/demo-project', import.meta.url));

if (spawnSync('tmux', ['-V']).error) {
	console.error('demo: tmux is not installed; install tmux 3.2 or newer (e.g. sudo apt-get install tmux, brew install tmux)');
	process.exit(1);
}

const headless = !process.stdout.isTTY || !process.stdin.isTTY;
const args = ['bin/cmux-tui', 'run', '--project', project, ...(headless ? ['--no-ui'] : []), ...process.argv.slice(2)];
if (headless) {
	console.log(`demo: no terminal, running headless (Ctrl-C to stop): node ${args.join(' ')}`);
}

const child = spawn(process.execPath, args, {cwd: root, stdio: 'inherit'});
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => child.kill(signal));
}

child.on('exit', (code, signal) => {
	process.exit(code ?? (signal ? 130 : 1));
});
