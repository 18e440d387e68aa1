import {z} from 'zod';
import {parseDuration} from './duration.js';

// Each `error` text completes the sentence "expected …": the loader adds the key path and what was found.

const nonEmpty = z.string({error: 'a non-empty string'}).min(1, {error: 'a non-empty string'});

/** A duration string ("500ms", "5s", "2m", "1h", "7d"), resolved to milliseconds. */
const duration = z
	.string({error: 'a duration like "5s" or "2m"'})
	// A pattern (not a refine) so the generated JSON Schema lets editors check durations too.
	.regex(/^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/, {error: 'a duration like "5s" or "2m"'})
	.transform(text => parseDuration(text)!);

const regex = z
	.string({error: 'a regular expression string'})
	.refine(text => {
		try {
			new RegExp(text);
			return true;
		} catch {
			return false;
		}
	}, {error: 'a valid regular expression'});

const port = z.number({error: 'a port number 0-65535'}).int({error: 'a port number 0-65535'}).min(0, {error: 'a port number 0-65535'}).max(65_535, {error: 'a port number 0-65535'});
const positiveInt = z.number({error: 'a whole number ≥ 1'}).int({error: 'a whole number ≥ 1'}).min(1, {error: 'a whole number ≥ 1'});
const env = z.record(z.string(), z.string({error: 'a string value'}), {error: 'an object of string values'});
const restart = z.enum(['never', 'on-failure', 'always'], {error: 'one of "never", "on-failure", "always"'});
const agentName = z
	.string({error: 'an agent name'})
	.regex(/^[\w.-]+$/, {error: 'an agent name of letters, digits, ".", "_" or "-"'});

const patternList = z.array(regex, {error: 'a list of regular expressions'}).optional();
const patternProfile = z.strictObject({
	idle: patternList, working: patternList, waiting_approval: patternList, waiting_input: patternList,
	limited: patternList, error: patternList, done: patternList,
}, {error: 'an object of pattern lists keyed by state'});

export const supervisionSchema = z.strictObject({
	mode: z.enum(['act', 'observe'], {error: 'one of "act", "observe"'}).prefault('act').describe('act: nudge, escalate and recover; observe: only report what would be done.'),
	debounce: duration.prefault('1500ms').describe('Quiet output this long before an agent counts as idle.'),
	approvalHold: duration.prefault('3s').describe('A fresh approval wait is not overridden by output for this long.'),
	stallTimeout: duration.prefault('5m').describe('Working with no output, hook or heartbeat this long is stalled.'),
	nudgeMessage: nonEmpty.prefault('You have been quiet for a while: please continue with your task, or say what you are waiting for.').describe('Text delivered into an idle prompt as a nudge.'),
	nudgeInterval: duration.prefault('2m').describe('Time between nudges of one agent.'),
	maxNudges: z.number({error: 'a whole number ≥ 0'}).int({error: 'a whole number ≥ 0'}).min(0, {error: 'a whole number ≥ 0'}).prefault(3).describe('Nudges before an agent is escalated.'),
	approvalTimeout: duration.prefault('10m').describe('An approval wait longer than this is escalated.'),
	autoApprove: z.array(regex, {error: 'a list of regular expressions'}).prefault([]).describe('Approval prompts matching one of these are approved automatically (logged). Empty: never.'),
	maxRuntimeAction: z.enum(['escalate', 'stop'], {error: 'one of "escalate", "stop"'}).prefault('escalate').describe('What happens when an agent passes its maxRuntime.'),
	agentRecoveriesPerHour: positiveInt.prefault(6).describe('Automatic recoveries of one agent per hour.'),
	recoveriesPerHour: positiveInt.prefault(20).describe('Automatic recoveries in the project per hour.'),
	breakerFailures: positiveInt.prefault(3).describe('Failed recoveries in a row after which automatic recovery of an agent stops.'),
	supervisorRestarts: positiveInt.prefault(3).describe('Supervisor restarts per hour before a restart loop is declared.'),
}, {error: 'a supervision object'});

export const tasksSchema = z.strictObject({
	deadlockAfter: duration.prefault('5m').describe('A wait-for cycle whose agents are all idle or waiting this long, with no traffic, is a deadlock.'),
	budgetAction: z.enum(['escalate', 'block'], {error: 'one of "escalate", "block"'}).prefault('escalate').describe('At 100% of a task budget: tell the supervisor, or move the task to blocked.'),
	maxNudges: positiveInt.prefault(5).describe('Nudges one task may cost before its budget is spent.'),
	maxRestarts: positiveInt.prefault(3).describe('Restarts one task may cost before its budget is spent.'),
	verifyTimeout: duration.prefault('5m').describe('A task\'s verify command is stopped (whole tree) after this long and counts as failed.'),
	livelockMessages: positiveInt.prefault(8).describe('Messages between the same two agents within livelockWindow, with no file change, that make a livelock.'),
	livelockWindow: duration.prefault('2m').describe('The window livelockMessages are counted in.'),
	compactAt: z.number({error: 'a whole number 1-99 (percent)'}).int({error: 'a whole number 1-99 (percent)'}).min(1, {error: 'a whole number 1-99 (percent)'}).max(99, {error: 'a whole number 1-99 (percent)'}).optional()
		.describe('Type /compact into an idle Claude Code agent once its context window is this many percent used (read from its status line); off when absent.'),
}, {error: 'a tasks object'});

export const agentSchema = z.strictObject({
	name: agentName.describe('Agent name: also its tmux window name and its mailbox address.'),
	command: nonEmpty.describe("Shell command run in the agent's tmux window."),
	type: z.enum(['supervisor', 'worker'], {error: 'one of "supervisor", "worker"'}).prefault('worker').describe('supervisor (receives alerts) or worker.'),
	cwd: nonEmpty.optional().describe('Working directory, relative to the project root.'),
	env: env.prefault({}).describe('Extra environment variables for the agent.'),
	restart: restart.prefault('on-failure').describe('Restart policy when the agent exits: never, on-failure, always.'),
	prompt: regex.optional().describe("Regular expression matching the agent's idle prompt; mail waits for it."),
	heartbeatTimeout: duration.optional().describe('Silence after which a heartbeat counts as missed ("10m").'),
	maxRuntime: duration.optional().describe('Longest the agent may run ("8h").'),
	stopTimeout: duration.prefault('5s').describe('Grace between SIGTERM and SIGKILL when stopping the agent.'),
	kind: z.enum(['claude', 'codex', 'gemini', 'generic'], {error: 'one of "claude", "codex", "gemini", "generic"'}).prefault('generic').describe("What program the agent is: how its hooks are wired and which pane patterns apply."),
	patterns: patternProfile.prefault({}).describe("Extra pane patterns per state (idle, working, waiting_approval, waiting_input, limited, error, done), added to the kind's."),
}, {error: 'an agent object'});

export const serverSchema = z.strictObject({
	command: nonEmpty.describe('Shell command that starts the dev server.'),
	cwd: nonEmpty.optional().describe('Working directory, relative to the project root.'),
	env: env.prefault({}).describe('Extra environment variables (PORT is set from port).'),
	port: port.optional().describe('Port the server listens on (CMUX_PORT overrides).'),
	healthUrl: z.url({error: 'an http:// URL'}).optional().describe('URL probed for health; 2xx is healthy.'),
	interval: duration.prefault('5s').describe('Time between health probes.'),
	failures: positiveInt.prefault(3).describe('Consecutive failed probes before the server is restarted.'),
	stopTimeout: duration.prefault('5s').describe('Grace between SIGTERM and SIGKILL when stopping the server.'),
	startTimeout: duration.prefault('30s').describe('How long the server may take to become ready.'),
	restart: restart.prefault('on-failure').describe('Restart policy: never, on-failure, always.'),
	logFile: nonEmpty.prefault('.cmux/logs/server.log').describe("Where the server's stdout and stderr go (rotated by size)."),
}, {error: 'a server object'});

export const frontendSchema = z.strictObject({
	dir: nonEmpty.describe('Frontend folder, relative to the project root.'),
	dist: nonEmpty.prefault('dist').describe('Bundle folder inside dir.'),
	build: nonEmpty.describe('Build command; {out} is the fresh folder to build into.'),
	install: nonEmpty.optional().describe('Install command run once when a build fails.'),
	timeout: duration.prefault('5m').describe('Longest a build or install may take.'),
	url: z.url({error: 'an http:// URL'}).optional().describe('URL that must answer 2xx when the frontend is healthy.'),
}, {error: 'a frontend object'});

/** The old log watcher's patterns, kept as the defaults. */
export const defaultLogPatterns = ['\\bERROR\\b', '\\bException\\b', '\\bTraceback\\b', '\\bCRITICAL\\b', '\\bFAILED\\b'];
/** Health-check request lines are noise, not alerts. */
export const defaultLogIgnore = ['GET /health\\b', 'GET /healthz\\b', 'health[-_ ]?check'];

export const logSchema = z.strictObject({
	path: nonEmpty.describe('Log file to watch, relative to the project root.'),
	patterns: z.array(regex, {error: 'a list of regular expressions'}).prefault(defaultLogPatterns).describe('Regular expressions that raise an alert (word boundaries recommended).'),
	ignore: z.array(regex, {error: 'a list of regular expressions'}).prefault(defaultLogIgnore).describe('Regular expressions for lines never to alert on.'),
	cooldown: duration.optional().describe('Cooldown window for this file (defaults to alerts.cooldown).'),
	to: nonEmpty.optional().describe("Agent that receives this file's alerts (default: the supervisor)."),
}, {error: 'a log object'});

/** How long and how many rows of one table the store keeps (the oldest go first). */
function retentionRule(what: string, maxAge: string, maxRows: number) {
	return z.strictObject({
		maxAge: duration.prefault(maxAge).describe(`How long ${what} are kept.`),
		maxRows: positiveInt.prefault(maxRows).describe(`Most ${what} kept.`),
	}, {error: 'an object with maxAge and maxRows'}).prefault({});
}

export const retentionSchema = z.strictObject({
	events: retentionRule('events', '7d', 1_000_000),
	messages: retentionRule('delivered messages and dead letters (pending ones are never pruned)', '7d', 100_000),
	alerts: retentionRule('alerts', '30d', 10_000),
	interval: duration.prefault('5m').describe('How often pruning runs (in batches of at most 1,000 rows).'),
}, {error: 'a retention object'});

export const configSchema = z.strictObject({
	$schema: z.string().optional(),
	session: z.string({error: 'a tmux session name'}).regex(/^[\w.-]+$/, {error: 'a tmux session name of letters, digits, ".", "_" or "-"'}).prefault('cmux').describe('tmux session the agents live in (CMUX_SESSION).'),
	tmuxSocket: nonEmpty.optional().describe('tmux socket name as for tmux -L (CMUX_TMUX_SOCKET).'),
	healthPort: port.prefault(7770).describe('Health port on healthHost; 0 turns it off (CMUX_HEALTH_PORT).'),
	healthHost: nonEmpty.prefault('127.0.0.1').describe('Address the health port binds.'),
	agents: z.array(agentSchema, {error: 'a list of agents'}).prefault([]).describe('The agents, each in its own tmux window.'),
	server: serverSchema.optional().describe('The managed dev server.'),
	frontend: frontendSchema.optional().describe('Frontend build health and atomic rebuilds.'),
	logs: z.array(logSchema, {error: 'a list of log files'}).prefault([]).describe('Log files watched for alerts.'),
	alerts: z.strictObject({
		cooldown: duration.prefault('5m').describe('Per-file alert window: later matches are counted and reported when it ends (CMUX_ALERT_COOLDOWN).'),
		webhook: z.url({error: 'an http:// URL'}).optional().describe('URL that receives each alert as a JSON POST (CMUX_ALERT_WEBHOOK).'),
		webhookTimeout: duration.prefault('5s').describe('Timeout of one webhook request.'),
	}, {error: 'an alerts object'}).prefault({}),
	mailbox: z.strictObject({
		path: nonEmpty.prefault('.cmux/mailbox').describe('Mailbox file, relative to the project root (CMUX_MAILBOX).'),
		lockFile: nonEmpty.prefault('/tmp/cmux-mailbox.lock').describe("Absolute path of the lock file every mailbox append takes with flock, shared with CMUX's tools (keep CMUX's default)."),
		maxAttempts: positiveInt.prefault(10).describe('Delivery tries before a message is dead-lettered.'),
		retryBase: duration.prefault('250ms').describe('First retry delay; it doubles on each try.'),
		retryMax: duration.prefault('30s').describe('Longest retry delay.'),
		allowTargets: z.array(z.string({error: 'a string'}).regex(/^[\w.-]+(?::[\w.-]+)?$/, {error: 'a session name or session:window'}), {error: 'a list of session:window names'}).prefault([])
			.describe('Windows of other tmux sessions mail may be delivered to, by name (session:window, or a session name for all its windows).'),
	}, {error: 'a mailbox object'}).prefault({}),
	heartbeat: z.strictObject({
		timeout: duration.prefault('10m').describe('Default heartbeat timeout of every agent (CMUX_HEARTBEAT_TIMEOUT).'),
	}, {error: 'a heartbeat object'}).prefault({}),
	tasks: tasksSchema.prefault({}).describe('Task budgets, verification, deadlock and livelock detection.'),
	supervision: supervisionSchema.prefault({}).describe('Activity states, nudges, escalation and recovery of agents.'),
	retention: retentionSchema.prefault({}).describe('How long events, messages and alerts are kept.'),
	rollback: z.strictObject({
		enabled: z.boolean({error: 'true or false'}).prefault(false).describe('Roll back to the last known-good commit when the server stays unhealthy.'),
		verifyWindow: duration.prefault('60s').describe('How long health must hold to verify a rollback (and to call a commit good).'),
		gitTimeout: duration.prefault('30s').describe('Timeout of each git step.'),
	}, {error: 'a rollback object'}).prefault({}),
	ui: z.strictObject({
		confirm: z.boolean({error: 'true or false'}).prefault(true).describe('Ask before r (restart) and y (approve) in the TUI; false acts at once (k kill, x deny and i interrupt always ask; K kills without asking).'),
	}, {error: 'a ui object'}).prefault({}).describe('Terminal UI settings.'),
}, {error: 'a JSON object'});

/** The validated configuration: defaults filled in, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
export type AgentConfig = z.output<typeof agentSchema>;
export type ServerConfig = z.output<typeof serverSchema>;
export type FrontendConfig = z.output<typeof frontendSchema>;
export type TasksConfig = z.output<typeof tasksSchema>;
