import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

function findRoot(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) {
			return dir;
		}
	}
}

/** The repository root (tests run from build/test/, compiled). */
export const repoRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = path.join(repoRoot, 'fixtures');
export const cliPath = path.join(repoRoot, 'bin', 'cmux-tui');
