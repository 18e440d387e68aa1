import fs from 'node:fs';
import path from 'node:path';
import type {FrontendConfig} from '../config/schema.js';
import {probeUrl} from '../server/probe.js';

/** The folder and dist of a frontend config, resolved against the project root. */
export function frontendPaths(config: FrontendConfig, root: string): {dir: string; dist: string} {
	const dir = path.resolve(root, config.dir);
	return {dir, dist: path.resolve(dir, config.dist)};
}

/** What is wrong with a built bundle folder: `index.html` missing, no `.js` under `assets/`. Empty when fine. */
export function distProblems(dist: string): string[] {
	const problems: string[] = [];
	if (!fs.existsSync(path.join(dist, 'index.html'))) {
		problems.push(`${path.join(dist, 'index.html')} is missing`);
	}

	let assets: string[] = [];
	try {
		assets = fs.readdirSync(path.join(dist, 'assets'));
	} catch {
		// No assets folder: reported just below as "holds no .js file".
	}

	if (!assets.some(name => name.endsWith('.js'))) {
		problems.push(`${path.join(dist, 'assets')} holds no .js file`);
	}

	return problems;
}

export interface FrontendCheck {
	ok: boolean;
	problems: string[];
	/** The dist folder does not exist at all (start builds it). */
	missing: boolean;
	urlMs?: number;
}

/** The frontend check: the bundle is complete and, when `url` is set, it answers 2xx. */
export async function checkFrontend(config: FrontendConfig, root: string, timeout = 5000): Promise<FrontendCheck> {
	const {dist} = frontendPaths(config, root);
	const problems = distProblems(dist);
	let urlMs: number | undefined;
	if (config.url) {
		const probe = await probeUrl(config.url, timeout);
		urlMs = probe.ms;
		if (!probe.ok) {
			problems.push(probe.error ?? `${config.url} did not answer`);
		}
	}

	return {ok: problems.length === 0, problems, missing: !fs.existsSync(dist), ...(urlMs === undefined ? {} : {urlMs})};
}
