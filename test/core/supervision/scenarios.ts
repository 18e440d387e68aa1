/**
 * The supervision scenario suite: each scenario is one fake agent with a script, the state it must
 * reach (or still be in, for `hold`) and a deadline from its start. The test runs them on real
 * tmux; `npm run bench -- supervision` runs them and reports the share right and the latencies.
 */
export interface Scenario {
	name: string;
	kind: 'claude' | 'codex' | 'gemini' | 'generic';
	script: Array<Record<string, unknown>>;
	expect: string;
	/** reach: the state appears by the deadline; hold: the agent is in it at the deadline. */
	mode: 'reach' | 'hold';
	deadlineMs: number;
	extra?: Record<string, unknown>;
	/** Restart the orchestrator this long after the agent started, down for `downMs` (the runner runs these scenarios together). */
	restart?: {afterMs: number; downMs?: number};
}

const start = {do: 'start'};
const prompt = {do: 'prompt', text: 'build the feature'};

function perKind(kind: 'claude' | 'codex' | 'gemini'): Scenario[] {
	return [
		{name: `${kind} idle at start`, kind, script: [start], expect: 'idle', mode: 'reach', deadlineMs: 8000},
		{name: `${kind} working on a turn`, kind, script: [start, {do: 'sleep', ms: 500}, prompt, {do: 'work', ms: 60_000}], expect: 'working', mode: 'reach', deadlineMs: 8000},
		{name: `${kind} approval`, kind, script: [start, prompt, {do: 'work', ms: 500}, {do: 'approval'}], expect: 'waiting_approval', mode: 'reach', deadlineMs: 9000},
		{name: `${kind} question`, kind, script: [start, prompt, {do: 'work', ms: 500}, {do: 'end', message: 'Do you want me to also migrate the old rows?'}], expect: 'waiting_input', mode: 'reach', deadlineMs: 9000},
		{name: `${kind} done marker`, kind, script: [start, prompt, {do: 'work', ms: 500}, {do: 'end', message: 'Finished.\nCMUX-DONE t-1 ok feature built'}], expect: 'done', mode: 'reach', deadlineMs: 9000},
		{name: `${kind} rate limit`, kind, script: [start, prompt, {do: 'work', ms: 500}, {do: 'limit'}], expect: 'limited', mode: 'reach', deadlineMs: 9000},
		{name: `${kind} auth error`, kind, script: [start, prompt, {do: 'work', ms: 500}, {do: 'error'}], expect: 'error', mode: 'reach', deadlineMs: 9000},
		{name: `${kind} crash`, kind, script: [start, {do: 'sleep', ms: 800}, {do: 'crash', code: 2}], expect: 'exited', mode: 'reach', deadlineMs: 8000},
		{name: `${kind} hang mid-work`, kind, script: [start, prompt, {do: 'tool'}, {do: 'work', ms: 800}, {do: 'hang'}], expect: 'stalled', mode: 'reach', deadlineMs: 20_000},
		{name: `${kind} esc-interrupted without a hook`, kind, script: [start, prompt, {do: 'work', ms: 1200}, {do: 'interrupt'}, {do: 'hang'}], expect: 'idle', mode: 'hold', deadlineMs: 9000},
		{name: `${kind} silent but beating`, kind, script: [start, prompt, {do: 'tool'}, {do: 'work', ms: 600}, {do: 'beat', every: 500, ms: 60_000}], expect: 'working', mode: 'hold', deadlineMs: 16_000},
		{name: `${kind} flicker at idle`, kind, script: [start, {do: 'flicker', ms: 60_000}], expect: 'idle', mode: 'hold', deadlineMs: 10_000},
		{name: `${kind} clean exit`, kind, script: [start, {do: 'sleep', ms: 800}, {do: 'exit'}], expect: 'exited', mode: 'reach', deadlineMs: 8000},
	];
}

export const scenarios: Scenario[] = [
	...perKind('claude'),
	...perKind('codex'),
	...perKind('gemini'),
	{name: 'generic output then quiet', kind: 'generic', script: [{do: 'sleep', ms: 300}, {do: 'work', ms: 1500}, {do: 'hang'}], expect: 'idle', mode: 'hold', deadlineMs: 8000},
	{name: 'generic long output', kind: 'generic', script: [{do: 'sleep', ms: 300}, {do: 'work', ms: 60_000}], expect: 'working', mode: 'hold', deadlineMs: 8000},
	{name: 'generic crash', kind: 'generic', script: [{do: 'sleep', ms: 500}, {do: 'crash', code: 1}], expect: 'exited', mode: 'reach', deadlineMs: 8000},
	{name: 'generic done marker on screen', kind: 'generic', script: [{do: 'sleep', ms: 300}, {do: 'screen', name: 'done-marker.txt'}, {do: 'hang'}], expect: 'done', mode: 'reach', deadlineMs: 8000},
	{name: 'claude stale hook against live output', kind: 'claude', script: [start, prompt, {do: 'work', ms: 300}, {do: 'end', message: 'Done.'}, {do: 'sleep', ms: 500}, {do: 'work', ms: 60_000}], expect: 'working', mode: 'hold', deadlineMs: 10_000},
	{name: 'claude approval after a tool', kind: 'claude', script: [start, prompt, {do: 'tool'}, {do: 'work', ms: 400}, {do: 'approval', tool: 'Edit'}], expect: 'waiting_approval', mode: 'hold', deadlineMs: 9000},
	...['a', 'b', 'c'].map((letter): Scenario => ({name: `three waiting at once (${letter})`, kind: 'claude', script: [start, prompt, {do: 'approval'}], expect: 'waiting_approval', mode: 'reach', deadlineMs: 9000})),
	// Orchestrator restarted mid-state: each agent is in its state when the orchestrator stops (5 s
	// after the first start), keeps running while it is down for 2 s, and must be in (or reach) the
	// right state afterwards, from the stored state, the pane and the hooks spooled meanwhile.
	...restartedMidState(),
];

function restartedMidState(): Scenario[] {
	const restart = {afterMs: 5000, downMs: 2000};
	return [
		{name: 'restarted while claude waits for approval', kind: 'claude', script: [start, prompt, {do: 'approval'}], expect: 'waiting_approval', mode: 'hold', deadlineMs: 14_000, restart},
		{name: 'restarted while claude works', kind: 'claude', script: [start, prompt, {do: 'tool'}, {do: 'work', ms: 60_000}], expect: 'working', mode: 'hold', deadlineMs: 14_000, restart},
		{name: 'restarted while codex is idle', kind: 'codex', script: [start], expect: 'idle', mode: 'hold', deadlineMs: 14_000, restart},
		{name: 'restarted while gemini is limited', kind: 'gemini', script: [start, prompt, {do: 'work', ms: 500}, {do: 'limit'}], expect: 'limited', mode: 'hold', deadlineMs: 14_000, restart},
		{name: 'restarted: a question asked while it was down', kind: 'claude', script: [start, {do: 'sleep', ms: 5500}, prompt, {do: 'work', ms: 300, quiet: true}, {do: 'end', message: 'Which table should I migrate first?'}], expect: 'waiting_input', mode: 'reach', deadlineMs: 16_000, restart},
		{name: 'restarted: exited while it was down', kind: 'generic', script: [{do: 'sleep', ms: 5500}, {do: 'exit'}], expect: 'exited', mode: 'reach', deadlineMs: 16_000, restart},
	];
}

/** Supervision settings the suite runs with (a short stall timeout, so hangs show in seconds). */
export const scenarioConfig = {supervision: {stallTimeout: '8s', maxNudges: 0}};
