import type {ActivityState} from '../states.js';
import {builtinProfiles, screenStates, type AgentKind, type PatternProfile, type ScreenState} from './profiles.js';

/** Compiled patterns, checked in priority order (error first, idle last). */
export interface CompiledProfile {
	rules: Array<{state: ScreenState; pattern: RegExp}>;
}

/** How many of the screen's last non-empty rows are looked at: a prompt or dialog sits at the bottom. */
const bottomRows = 20;

/**
 * The kind's built-in profile extended by the agent's own patterns (`extra`), and the agent's
 * `prompt` regex as one more idle pattern.
 */
export function compileProfile(kind: AgentKind, extra: PatternProfile = {}, prompt?: string): CompiledProfile {
	const base = builtinProfiles[kind];
	const rules: CompiledProfile['rules'] = [];
	for (const state of screenStates) {
		const sources = [...(extra[state] ?? []), ...(base[state] ?? []), ...(state === 'idle' && prompt ? [prompt] : [])];
		for (const source of sources) {
			rules.push({state, pattern: new RegExp(source, 'imu')});
		}
	}

	return {rules};
}

/** The state a visible screen shows (highest priority that matches), and the pattern that matched. */
export function classifyScreen(profile: CompiledProfile, screen: string): {state: ActivityState; pattern: string} | undefined {
	const rows = screen.split('\n').filter(row => row.trim() !== '');
	const bottom = rows.slice(-bottomRows).join('\n');
	for (const {state, pattern} of profile.rules) {
		if (pattern.test(bottom)) {
			return {state, pattern: pattern.source};
		}
	}

	return undefined;
}
