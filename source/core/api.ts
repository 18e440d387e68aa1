import {z} from 'zod';
import {StateError, UsageError} from './errors.js';
import type {RebuildResult} from './frontend/rebuild.js';
import type {KillTreeResult} from './process/kill-tree.js';
import type {RegistryEntry} from './registry/entry.js';
import type {TaskView} from './tasks/book.js';

/*
 * The one typed command interface. Every state-changing command has ONE entry in `apiCommands`:
 * its name, the zod schema of its parameters (parsed at the edge, errors naming the field) and its
 * result type. Two implementations serve it: the running orchestrator's services (each declares
 * the handlers it owns in `Service.commands`; the TUI calls them in-process, the CLI over
 * `.cmux/cmux.sock`), and the direct one the CLI uses when no orchestrator runs
 * (`agents/direct-api.ts`). Adding a command: an entry here, a handler in the service that owns it,
 * and (when it can work without an orchestrator) one in the direct table.
 */

/** Any value a command returns: it crosses the socket as JSON and `--json` prints it as it is. */
type Json = Record<string, unknown>;

/** The declaration of one command; `result` only carries its result type. */
export interface CommandSpec<Params extends z.ZodType, Result> {
	params: Params;
	describe: string;
	readonly result?: Result;
}

function command<Result>() {
	return <Params extends z.ZodType>(params: Params, describe: string): CommandSpec<Params, Result> => ({params, describe});
}

const agentName = z.string({error: 'an agent name'}).regex(/^[\w.-]+$/, {error: 'an agent name of letters, digits, ".", "_" or "-"'});
const text = z.string({error: 'a non-empty string'}).min(1, {error: 'a non-empty string'});
const agentType = z.enum(['supervisor', 'worker'], {error: 'one of "supervisor", "worker"'});
const named = z.strictObject({name: agentName});
const none = z.strictObject({});

/** What `agents kill` reports: the kill of the agent's whole tree. */
export type AgentKillResult = {agent: string} & KillTreeResult;
/** What `server start|stop|restart` report; `ok` false exits 1. */
export type ServerActionResult = {ok: boolean; action: string; text: string} & Json;
/** What a recover command did. */
export type RecoverResult = {agent: string; action: string; text: string} & Json;
/** The message as appended to the mailbox. */
export interface SentMessage {id: string; ts: string; from: string; to: string; subject: string; body?: string; status: 'submitted'}

/** A task as the tasks commands return it (`--json` prints it). */
export type TaskResult = TaskView & {history?: Array<Record<string, unknown>>};
const taskId = z.string({error: 'a task id like "t1"'}).regex(/^t\d+$/, {error: 'a task id like "t1"'});
const note = z.string({error: 'a string'}).optional();
const taskMove = z.strictObject({id: taskId, note});

export const apiCommands = {
	'agents.spawn': command<RegistryEntry>()(z.strictObject({name: agentName, command: text.optional(), type: agentType.optional()}), 'start an agent in a new tmux window and register it'),
	'agents.kill': command<AgentKillResult>()(z.strictObject({name: agentName, force: z.boolean({error: 'true or false'}).default(false)}), 'stop an agent\'s whole process tree with escalation'),
	'agents.restart': command<RegistryEntry>()(z.strictObject({name: agentName, resume: text.optional()}), 'kill an agent, then start it again from its config (resume: a session id its program resumes)'),
	'agents.nudge': command<RecoverResult>()(named, 'nudge an agent now (only into an idle prompt)'),
	hook: command<{agent: string; state?: string}>()(z.strictObject({agent: agentName, kind: text, ts: z.number({error: 'epoch milliseconds'}).finite(), payload: z.record(z.string(), z.unknown(), {error: 'an object'})}), 'take in one hook call of an agent'),
	'recover.nudge': command<RecoverResult>()(named, 'nudge an agent now (only into an idle prompt)'),
	'recover.interrupt': command<RecoverResult>()(named, 'interrupt what an agent is doing (Esc, or Ctrl-C for a generic agent)'),
	'recover.approve': command<RecoverResult>()(named, 'approve the pending tool call (only while the agent waits for approval)'),
	'recover.deny': command<RecoverResult>()(named, 'deny the pending tool call (only while the agent waits for approval)'),
	'recover.restart': command<RecoverResult>()(z.strictObject({name: agentName, resume: z.boolean({error: 'true or false'}).default(false)}), 'restart an agent, resuming the session its hooks reported'),
	'recover.reset': command<RecoverResult>()(named, 'forget an agent\'s supervision state: nudge count, escalations, circuit breaker'),
	'recover.kill-zombie': command<RecoverResult>()(named, 'kill the processes of an agent whose pane is dead or whose agent is gone'),
	'recover.handoff': command<RecoverResult>()(named, 'write a compaction hand-off of an agent (pane, git state, task, pending mail) to the journal'),
	'agents.attach': command<{agent: string}>()(named, 'switch the tmux client the TUI runs in to the agent\'s window'),
	'agents.pane': command<{agent: string; text: string}>()(z.strictObject({name: agentName, lines: z.number({error: 'a whole number 1-10000'}).int().min(1).max(10_000)}), 'the last lines of the agent\'s pane'),
	register: command<RegistryEntry>()(z.strictObject({name: agentName, type: agentType.optional(), window: text.optional()}), 'register an agent a script started'),
	unregister: command<{agent: string; removed: boolean}>()(named, 'remove an agent from the registry (its processes are left alone)'),
	'server.start': command<ServerActionResult>()(none, 'start the managed dev server (or adopt the running one)'),
	'server.stop': command<ServerActionResult>()(none, 'stop the managed dev server; it stays stopped until server.start'),
	'server.restart': command<ServerActionResult>()(none, 'stop and start the managed dev server'),
	'frontend.rebuild': command<RebuildResult>()(none, 'rebuild the frontend atomically'),
	send: command<SentMessage>()(z.strictObject({to: text, subject: text, body: z.string({error: 'a string'}).optional(), from: text.optional()}), 'append a message to the mailbox'),
	beat: command<{agent: string; ts: string}>()(named, 'record a heartbeat'),
	'tasks.add': command<TaskResult>()(z.strictObject({
		title: text, to: agentName.optional(), body: z.string({error: 'a string'}).optional(), depends: z.array(taskId, {error: 'a list of task ids'}).default([]),
		verify: text.optional(), budget: z.number({error: 'milliseconds'}).int().positive().optional(), turns: z.number({error: 'a whole number ≥ 1'}).int().min(1).optional(),
	}), 'add a task (assigned at once with `to`)'),
	'tasks.assign': command<TaskResult>()(z.strictObject({id: taskId, agent: agentName}), 'assign a task to an agent (offered when it is free and its dependencies are done)'),
	'tasks.start': command<TaskResult>()(taskMove, 'mark a task in progress'),
	'tasks.done': command<TaskResult>()(taskMove, 'claim a task done: done with evidence, review without'),
	'tasks.fail': command<TaskResult>()(taskMove, 'mark a task failed'),
	'tasks.reset': command<TaskResult>()(taskMove, 'put a task back in the backlog'),
	'tasks.block': command<TaskResult>()(z.strictObject({id: taskId, on: text, note}), 'mark a task blocked on an agent or another task'),
	stopAll: command<Json>()(none, 'stop everything this project started (server, agents, session)'),
} as const;

export type CommandName = keyof typeof apiCommands;
/** What a caller passes (defaults may be left out). */
export type Params<Name extends CommandName> = z.input<(typeof apiCommands)[Name]['params']>;
/** What a handler receives: parsed, defaults filled in. */
export type ParsedParams<Name extends CommandName> = z.output<(typeof apiCommands)[Name]['params']>;
export type Result<Name extends CommandName> = NonNullable<(typeof apiCommands)[Name]['result']>;
export type Handler<Name extends CommandName> = (params: ParsedParams<Name>) => Promise<Result<Name>>;
/** The commands one implementation (a service, the direct table) provides. */
export type Handlers = {[Name in CommandName]?: Handler<Name>};

/** What the TUI, the socket and the CLI call. */
export interface Api {
	call<Name extends CommandName>(name: Name, params: Params<Name>): Promise<Result<Name>>;
	/** Whether some implementation provides `name` (the TUI marks the others unavailable). */
	has(name: CommandName): boolean;
}

export function isCommandName(name: string): name is CommandName {
	return Object.hasOwn(apiCommands, name);
}

/** Parse `raw` as the parameters of `name`; a bad one is a UsageError naming the field. */
export function parseParams<Name extends CommandName>(name: Name, raw: unknown): ParsedParams<Name> {
	const result = apiCommands[name].params.safeParse(raw ?? {});
	if (result.success) {
		return result.data as ParsedParams<Name>;
	}

	const issue = result.error.issues[0]!;
	const field = issue.path.length > 0 ? `params.${issue.path.map(String).join('.')}` : 'params';
	const detail = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map(key => JSON.stringify(key)).join(', ')}` : `expected ${issue.message}`;
	return raiseUsage(`${name}: ${field}: ${detail}`);
}

function raiseUsage(message: string): never {
	throw new UsageError(message);
}

/** An Api over a table of handlers: parameters are parsed before a handler sees them. */
export class HandlerApi implements Api {
	constructor(private readonly handlers: Handlers, private readonly missing: (name: CommandName) => string) {}

	has(name: CommandName): boolean {
		return this.handlers[name] !== undefined;
	}

	async call<Name extends CommandName>(name: Name, params: Params<Name>): Promise<Result<Name>> {
		return this.callUnknown(name, params) as Promise<Result<Name>>;
	}

	/** For callers holding unparsed input (the socket): `name` and `params` are checked here. */
	async callUnknown(name: string, params: unknown): Promise<unknown> {
		if (!isCommandName(name)) {
			throw new UsageError(`unknown command ${JSON.stringify(name.slice(0, 100))}`);
		}

		const handler = this.handlers[name] as ((params: unknown) => Promise<unknown>) | undefined;
		if (!handler) {
			throw new StateError(this.missing(name));
		}

		return handler(parseParams(name, params));
	}
}
