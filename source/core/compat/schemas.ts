import {z} from 'zod';
import {taskStatuses} from '../mailbox/parse.js';

// The request bodies CMUX's tools send (tools/mailbox, tools/workers, monitor.sh, router.sh), as
// CMUX's FastAPI models (src/server/models/*.py) accept them: same fields, same defaults.

const text = z.string({error: 'a string'});
const taskStatus = z.enum(taskStatuses, {error: `one of ${taskStatuses.map(status => `"${status}"`).join(', ')}`});

/** `POST /api/messages/internal` (InternalMessage). */
export const internalMessageBody = z.object({
	from_agent: text,
	to_agent: text.min(1, {error: 'a non-empty string'}),
	content: text,
	type: z.enum(['task', 'status', 'response', 'error', 'user', 'mailbox', 'system'], {error: 'a CMUX message type'}).default('mailbox'),
	metadata: z.record(z.string(), z.unknown(), {error: 'an object'}).nullish(),
	task_status: taskStatus.nullish(),
});

/** `PATCH /api/messages/{id}/status` (StatusUpdateRequest). */
export const statusBody = z.object({status: taskStatus});

/** `POST /api/heartbeat` (HeartbeatData, from monitor.sh). */
export const heartbeatBody = z.object({
	timestamp: z.number({error: 'a number (seconds since the epoch)'}),
	sections: z.record(z.string(), text, {error: 'an object of strings'}).default({}),
	highest_priority: text.nullish(),
	all_clear: z.boolean({error: 'true or false'}).default(false),
});

/** `POST /api/agents/register` (routes/agents.py register_agent: `agent_id` is the window-based key). */
export const registerBody = z.object({
	agent_id: text.min(1, {error: 'a non-empty string'}),
	agent_type: text.default('worker'),
	created_by: text.default('system'),
	display_name: text.nullish(),
	role: text.nullish(),
	project_id: text.default('cmux'),
	unique_id: text.regex(/^ag_\w+$/, {error: 'an agent id like "ag_7f3k2m9p"'}).nullish(),
});

/** `POST /api/journal/entry` (JournalEntryCreate). */
export const journalBody = z.object({
	title: text.min(1, {error: 'a non-empty string'}),
	content: text,
	project_id: text.nullish(),
});

/** One line naming the first bad field, as the rest of cmux-tui reports bad input. */
export function bodyProblem(error: z.ZodError, value: unknown): string {
	const issue = error.issues[0];
	const where = issue?.path.length ? issue.path.join('.') : 'body';
	let found: unknown = value;
	for (const key of issue?.path ?? []) {
		found = typeof found === 'object' && found !== null ? (found as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
	}

	if (issue?.path.length && found === undefined) {
		return `${where}: required`;
	}

	return `${where}: expected ${issue?.path.length ? issue.message : 'a JSON object'}, got ${JSON.stringify(found)?.slice(0, 60) ?? 'nothing'}`;
}
