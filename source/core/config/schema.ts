import {z} from 'zod';
import {parseDuration} from './duration.js';

// Each `error` text completes the sentence "expected …": the loader adds the key path and what was found.

const nonEmpty = z.string({error: 'a non-empty string'}).min(1, {error: 'a non-empty string'});

/** A duration string ("500ms", "5s", "2m", "1h"), resolved to milliseconds. */
const duration = z
	.string({error: 'a duration like "5s" or "2m"'})
	.refine(text => parseDuration(text) !== undefined, {error: 'a duration like "5s" or "2m"'})
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

export const agentSchema = z.strictObject({
	name: agentName,
	command: nonEmpty,
	type: z.enum(['supervisor', 'worker'], {error: 'one of "supervisor", "worker"'}).prefault('worker'),
	cwd: nonEmpty.optional(),
	env: env.prefault({}),
	restart: restart.prefault('on-failure'),
	prompt: regex.optional(),
	heartbeatTimeout: duration.optional(),
	maxRuntime: duration.optional(),
	stopTimeout: duration.prefault('5s'),
}, {error: 'an agent object'});

export const serverSchema = z.strictObject({
	command: nonEmpty,
	cwd: nonEmpty.optional(),
	env: env.prefault({}),
	port: port.optional(),
	healthUrl: z.url({error: 'an http:// URL'}).optional(),
	interval: duration.prefault('5s'),
	failures: positiveInt.prefault(3),
	stopTimeout: duration.prefault('5s'),
	startTimeout: duration.prefault('30s'),
	restart: restart.prefault('on-failure'),
	logFile: nonEmpty.prefault('.cmux/logs/server.log'),
}, {error: 'a server object'});

export const frontendSchema = z.strictObject({
	dir: nonEmpty,
	dist: nonEmpty.prefault('dist'),
	build: nonEmpty,
	install: nonEmpty.optional(),
	timeout: duration.prefault('5m'),
	url: z.url({error: 'an http:// URL'}).optional(),
}, {error: 'a frontend object'});

/** The old log watcher's patterns, kept as the defaults. */
export const defaultLogPatterns = ['\\bERROR\\b', '\\bException\\b', '\\bTraceback\\b', '\\bCRITICAL\\b', '\\bFAILED\\b'];
/** Health-check request lines are noise, not alerts. */
export const defaultLogIgnore = ['GET /health\\b', 'GET /healthz\\b', 'health[-_ ]?check'];

export const logSchema = z.strictObject({
	path: nonEmpty,
	patterns: z.array(regex, {error: 'a list of regular expressions'}).prefault(defaultLogPatterns),
	ignore: z.array(regex, {error: 'a list of regular expressions'}).prefault(defaultLogIgnore),
	cooldown: duration.optional(),
	to: nonEmpty.optional(),
}, {error: 'a log object'});

export const configSchema = z.strictObject({
	$schema: z.string().optional(),
	session: z.string({error: 'a tmux session name'}).regex(/^[\w.-]+$/, {error: 'a tmux session name of letters, digits, ".", "_" or "-"'}).prefault('cmux'),
	tmuxSocket: nonEmpty.optional(),
	healthPort: port.prefault(7770),
	healthHost: nonEmpty.prefault('127.0.0.1'),
	agents: z.array(agentSchema, {error: 'a list of agents'}).prefault([]),
	server: serverSchema.optional(),
	frontend: frontendSchema.optional(),
	logs: z.array(logSchema, {error: 'a list of log files'}).prefault([]),
	alerts: z.strictObject({
		cooldown: duration.prefault('5m'),
		webhook: z.url({error: 'an http:// URL'}).optional(),
		webhookTimeout: duration.prefault('5s'),
	}, {error: 'an alerts object'}).prefault({}),
	mailbox: z.strictObject({
		path: nonEmpty.prefault('.cmux/mailbox'),
		maxAttempts: positiveInt.prefault(10),
		retryBase: duration.prefault('250ms'),
		retryMax: duration.prefault('30s'),
	}, {error: 'a mailbox object'}).prefault({}),
	heartbeat: z.strictObject({
		timeout: duration.prefault('10m'),
	}, {error: 'a heartbeat object'}).prefault({}),
	tasks: z.strictObject({}, {error: 'a tasks object'}).prefault({}),
	rollback: z.strictObject({
		enabled: z.boolean({error: 'true or false'}).prefault(false),
		verifyWindow: duration.prefault('60s'),
		gitTimeout: duration.prefault('30s'),
	}, {error: 'a rollback object'}).prefault({}),
}, {error: 'a JSON object'});

/** The validated configuration: defaults filled in, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
export type AgentConfig = z.output<typeof agentSchema>;
export type ServerConfig = z.output<typeof serverSchema>;
export type FrontendConfig = z.output<typeof frontendSchema>;
export type LogConfig = z.output<typeof logSchema>;
