import type {ActivityState} from '../states.js';

/** The states a screen can show. */
export const screenStates = ['error', 'limited', 'waiting_approval', 'waiting_input', 'working', 'done', 'idle'] as const;
export type ScreenState = typeof screenStates[number];

/** Regular expressions (source text, case-insensitive) per state a screen can show. */
export type PatternProfile = Partial<Record<ScreenState, string[]>>;

export type AgentKind = 'claude' | 'codex' | 'gemini' | 'generic';

/** Done markers any agent may print (the tasks feature's completion line). */
const done = ['^\\s*CMUX-DONE\\s+\\S+\\s+(?:ok|fail)\\b'];

/**
 * Built-in profiles, one per kind, written against the screens in `fixtures/panes/<kind>/`
 * (a test classifies every one of them). Config extends them per agent (`agents[].patterns`).
 */
export const builtinProfiles: Record<AgentKind, PatternProfile> = {
	claude: {
		error: ['API Error: (?:401|403|5\\d\\d)', 'Invalid API key', 'authentication_error', 'OAuth token (?:has )?expired', 'Please run /login'],
		limited: ['usage limit reached', '\\blimit reached\\b.*\\bresets?\\b', 'rate limit(?:ed)?\\b.*(?:try again|retry)', 'API Error: 429', 'Credit balance is too low'],
		waiting_approval: ['Do you want to (?:proceed|make this edit|create|allow)', '❯\\s*1\\.\\s*Yes', 'No, and tell Claude what to do differently'],
		waiting_input: [],
		working: ['\\(.*esc to interrupt.*\\)', '^\\s*[✻✽✶✳✢]\\s*\\w+…'],
		done,
		idle: ['^\\s*│?\\s*>\\s*(?:Try "[^"]*")?\\s*│?\\s*$', '\\? for shortcuts', 'Interrupted by user', 'What should Claude do instead\\?'],
	},
	codex: {
		error: ['unexpected status (?:401|403)', 'stream error', '■ .*(?:Unauthorized|authentication)'],
		limited: ["You've hit your usage limit", 'usage limit', 'rate limit(?:ed)?', 'try again at \\d'],
		waiting_approval: ['Would you like to (?:run|make) the following', 'Allow command\\?', 'Yes, proceed', 'No, and tell Codex what to do differently'],
		waiting_input: [],
		working: ['Working \\(.*esc to interrupt\\)', '\\(\\d+s • esc to interrupt\\)'],
		done,
		idle: ['^\\s*›\\s', 'context left', '⏎ send'],
	},
	gemini: {
		error: ['\\[API Error: (?!.*(?:quota|429))', 'Failed to login', 'API key not valid'],
		limited: ['Quota exceeded', 'quota limit', 'RESOURCE_EXHAUSTED', '\\b429\\b'],
		waiting_approval: ['Allow execution', 'Apply this change\\?', 'Yes, allow once', 'Allow once'],
		waiting_input: [],
		working: ['\\(esc to cancel', 'esc to cancel, \\d+s'],
		done,
		idle: ['Type your message or @path/to/file', '^\\s*>\\s+Type your message'],
	},
	generic: {
		done,
	},
};
