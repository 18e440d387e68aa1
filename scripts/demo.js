#!/usr/bin/env node
// `npm run demo`: the orchestrator on fixtures/demo-project (fixture agents, dev server, frontend,
// log spammer) on its own tmux server (socket `cmux-demo`), so it never touches your tmux. The TUI
// on a terminal, headless text otherwise. It compiles only when dist/ is missing or older than a
// source file. Ctrl-C (or q) ends it; `node bin/cmux-tui stop --project fixtures/demo-project`
// stops what it started.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const project = fileURLToPath(new URL('../fixtures/demo-project', import.meta.url));
const config = JSON.parse(fs.readFileSync(path.join(project, '.cmux', 'config.json'), 'utf8'));

if (spawnSync('tmux', ['-V']).error) {
	console.error('demo: tmux is not installed; install tmux 3.2 or newer (e.g. sudo apt-get install tmux, brew install tmux)');
	process.exit(1);
}

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir) {
	let latest = 0;
	if (!fs.existsSync(dir)) {
		return latest;
	}

	for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			latest = Math.max(latest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
		}
	}

	return latest;
}

const built = fs.existsSync(path.join(root, 'dist', 'cli.js')) ? newest(path.join(root, 'dist')) : 0;
if (built === 0 || newest(path.join(root, 'source')) > built) {
	console.log('demo: compiling (dist/ is missing or older than source/)…');
	const build = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'});
	if (build.status !== 0) {
		process.exit(build.status ?? 1);
	}
}

const socket = process.env.CMUX_TMUX_SOCKET || config.tmuxSocket;
console.log(`demo: the agents run on their own tmux server; look at them with: tmux -L ${socket} attach -t ${config.session}`);
console.log(`demo: stop everything with: node bin/cmux-tui stop --project ${path.relative(root, project)}`);
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
