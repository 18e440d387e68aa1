import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa, type Options} from 'execa';
import {cliPath} from './paths.js';

/** A throwaway project folder with `.cmux/config.json` holding `config` (omit it for no config file). */
export function makeProject(config?: Record<string, unknown>): {root: string; cleanup: () => void} {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-test-')));
	if (config) {
		fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
		fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify(config, null, 2));
	}

	// A pane's launch wrapper can still write its exit status after the test has ended tmux, so a
	// removal that meets a folder filled meanwhile tries again (rmSync retries on ENOTEMPTY).
	return {root, cleanup: () => fs.rmSync(root, {recursive: true, force: true, maxRetries: 10, retryDelay: 50})};
}

/** What a CLI run printed (final newlines kept, so "one line" can be asserted) and its exit code. */
export interface CliResult {
	exitCode: number;
	stdout: string;
	stderr: string;
}

/** Run the built CLI (`bin/cmux-tui`) without throwing on a non-zero exit. */
export async function runCli(args: string[], options: {cwd: string; env?: Record<string, string>; input?: string; timeout?: number}): Promise<CliResult> {
	const execaOptions: Options = {
		cwd: options.cwd,
		env: {NO_COLOR: '1', ...options.env},
		reject: false,
		stripFinalNewline: false,
		timeout: options.timeout ?? 30_000,
		...(options.input === undefined ? {stdin: 'ignore'} : {input: options.input}),
	};
	const result = await execa(process.execPath, [cliPath, ...args], execaOptions);
	return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** A free TCP port on 127.0.0.1 (bound once, then released). */
export async function freePort(): Promise<number> {
	const net = await import('node:net');
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => {
				resolve(port);
			});
		});
	});
}
