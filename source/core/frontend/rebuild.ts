import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {FrontendConfig} from '../config/schema.js';
import {makeCookie} from '../process/cookie.js';
import {distProblems, frontendPaths} from './check.js';
import {runStep, type StepResult} from './run-step.js';

export interface RebuildResult {
	ok: boolean;
	ms: number;
	/** Whether `install` ran (after a failed first build). */
	installed: boolean;
	steps: Array<{name: 'build' | 'install'; ok: boolean; code: number | null; timedOut: boolean; ms: number}>;
	/** Why it failed, and the failing step's last output lines. */
	reason?: string;
	output: string[];
}

/**
 * The `build` command, with `{out}` turned into `"$CMUX_OUT"`: the output folder reaches the shell
 * as an environment variable, never as text inside the command, so no folder name can inject shell.
 */
export function buildCommand(build: string): string {
	return build.replaceAll('{out}', '"$CMUX_OUT"');
}

/**
 * Build into a fresh folder next to `dist`, check the result, then swap it in by rename. The old
 * `dist` stays until the new one is complete; a failed build runs `install` once and builds again;
 * on failure the old `dist` is left exactly as it was. Every step is killed (whole tree) past `timeout`.
 */
export async function rebuildFrontend(config: FrontendConfig, root: string): Promise<RebuildResult> {
	const started = Date.now();
	const {dir, dist} = frontendPaths(config, root);
	const steps: RebuildResult['steps'] = [];
	const record = (name: 'build' | 'install', step: StepResult) => {
		steps.push({name, ok: step.ok, code: step.code, timedOut: step.timedOut, ms: step.ms});
		return step;
	};

	const attempt = async (): Promise<{out?: string; step: StepResult; problems: string[]}> => {
		const out = fs.mkdtempSync(path.join(path.dirname(dist), `.${path.basename(dist)}.cmux-build-`));
		const step = record('build', await runStep(buildCommand(config.build), {cwd: dir, env: {CMUX_OUT: out}, timeout: config.timeout, cookie: makeCookie(root, 'frontend')}));
		const problems = step.ok ? distProblems(out) : [];
		if (step.ok && problems.length === 0) {
			return {out, step, problems};
		}

		fs.rmSync(out, {recursive: true, force: true});
		return {step, problems};
	};

	fs.mkdirSync(path.dirname(dist), {recursive: true});
	let result = await attempt();
	let installed = false;
	if (!result.out && config.install) {
		installed = true;
		const install = record('install', await runStep(config.install, {cwd: dir, timeout: config.timeout, cookie: makeCookie(root, 'frontend')}));
		if (!install.ok) {
			return {ok: false, ms: Date.now() - started, installed, steps, reason: `install failed (${describe(install)})`, output: install.output};
		}

		result = await attempt();
	}

	if (!result.out) {
		const why = result.problems.length > 0 ? `the build produced an incomplete bundle: ${result.problems.join('; ')}` : `build failed (${describe(result.step)})`;
		return {ok: false, ms: Date.now() - started, installed, steps, reason: why, output: result.step.output};
	}

	swapIn(result.out, dist);
	return {ok: true, ms: Date.now() - started, installed, steps, output: result.step.output};
}

/**
 * Replace `dist` with `fresh`: two renames on the same filesystem, microseconds apart, and the old
 * one is put back if the second fails. Only then is the old bundle deleted.
 */
function swapIn(fresh: string, dist: string): void {
	if (!fs.existsSync(dist)) {
		fs.renameSync(fresh, dist);
		return;
	}

	const old = path.join(path.dirname(dist), `.${path.basename(dist)}.cmux-old-${crypto.randomBytes(4).toString('hex')}`);
	fs.renameSync(dist, old);
	try {
		fs.renameSync(fresh, dist);
	} catch (error) {
		fs.renameSync(old, dist);
		fs.rmSync(fresh, {recursive: true, force: true});
		throw error;
	}

	fs.rmSync(old, {recursive: true, force: true});
}

function describe(step: StepResult): string {
	return step.timedOut ? `timed out after ${step.ms}ms, its process tree was killed` : `exit code ${step.code}`;
}
