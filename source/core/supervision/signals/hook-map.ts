import type {ActivityState} from '../states.js';

/*
 * What each agent program sends to its hooks, and what it means here. Sources (looked up, not guessed):
 * - Claude Code hooks reference (code.claude.com/docs/en/hooks): every hook gets JSON on stdin with
 *   `session_id`, `transcript_path`, `cwd`, `hook_event_name` (+ `permission_mode`). SessionStart has
 *   `source` (startup|resume|clear|compact); Notification has `notification_type`
 *   (permission_prompt|idle_prompt|elicitation_dialog|auth_success) and `message`; Stop has
 *   `stop_hook_active` and `last_assistant_message`; StopFailure has `error` (rate_limit,
 *   authentication_failed, billing_error, …), `error_details`, `last_assistant_message`; SessionEnd has
 *   `reason`; PreCompact has `trigger`. Extra settings come from `claude --settings FILE`.
 * - Codex (developers.openai.com/codex/config-reference, openai/codex docs/config.md): `notify` is an
 *   argv array run after each turn with one JSON argument appended: `{"type":"agent-turn-complete",
 *   "thread-id","turn-id","cwd","input-messages":[…],"last-assistant-message"}`. `codex -c key=value`
 *   overrides a config key for one run, so the user's config.toml is never touched. Codex hooks
 *   (openai/codex codex-rs/config/src/hook_config.rs, hooks/src/engine/discovery.rs, events/stop.rs):
 *   SessionStart, UserPromptSubmit, PreToolUse, PermissionRequest, PostToolUse, PreCompact,
 *   PostCompact, Stop, read from hooks.json or an inline `hooks` table of any config layer, also
 *   `-c` (the session-flags layer, not managed: run only once trusted); payload as Claude's
 *   (`session_id`, `turn_id`, `transcript_path`, `cwd`, `hook_event_name`, `model`; Stop has
 *   `stop_hook_active`, `last_assistant_message`).
 * - Gemini CLI hooks reference (geminicli.com/docs/hooks/reference): JSON on stdin with `session_id`,
 *   `transcript_path`, `cwd`, `hook_event_name`, `timestamp`; BeforeAgent has `prompt`, AfterAgent
 *   `prompt`, `prompt_response`, `stop_hook_active`; Notification has `notification_type`
 *   (ToolPermission), `message`, `details`; SessionStart/SessionEnd have `trigger`/`source`. Hooks live
 *   in settings.json; `GEMINI_CLI_SYSTEM_SETTINGS_PATH` names an extra (system) settings file, so the
 *   user's own files are never touched. stdout must be JSON only.
 */

/** A hook payload as the agent sent it (already parsed as a JSON object). */
export type HookPayload = Record<string, unknown>;

/** What a hook says about the agent. */
export interface HookVerdict {
	state: ActivityState;
	event: string;
	detail: Record<string, unknown>;
}

const text = (value: unknown): string | undefined => typeof value === 'string' ? value : undefined;

/** The agent ended its turn with a question (waiting for an answer) rather than a statement. */
export function endsInQuestion(message: string | undefined): boolean {
	return message !== undefined && /\?\s*(?:[`*_)\]"']\s*)*$/.test(message.trimEnd());
}

/** A final message that reports a task done (`CMUX-DONE <task> ok|fail …`). */
function reportsDone(message: string | undefined): boolean {
	return message !== undefined && /^CMUX-DONE\s+\S+\s+(?:ok|fail)\b/m.test(message);
}

function afterTurn(message: string | undefined): ActivityState {
	return reportsDone(message) ? 'done' : endsInQuestion(message) ? 'waiting_input' : 'idle';
}

/** Failure kinds of Claude Code's StopFailure that mean "limited" rather than "error". */
const limitErrors = new Set(['rate_limit', 'billing_error', 'usage_limit', 'overloaded']);

/**
 * The state a hook payload means, or undefined for events that say nothing about activity.
 * Claude Code and Codex hooks share event names; Gemini has its own; Codex `notify` has a `type`.
 */
export function mapHook(payload: HookPayload): HookVerdict | undefined {
	const event = text(payload.hook_event_name) ?? text(payload.type) ?? '';
	const detail: Record<string, unknown> = {event};
	for (const key of ['session_id', 'source', 'notification_type', 'error', 'reason', 'tool_name', 'trigger']) {
		if (typeof payload[key] === 'string') {
			detail[key] = payload[key];
		}
	}

	const thread = text(payload['thread-id']);
	if (thread) {
		detail.session_id = thread;
	}

	const state = stateOf(event, payload);
	return state ? {state, event, detail} : undefined;
}

function stateOf(event: string, payload: HookPayload): ActivityState | undefined {
	switch (event) {
		case 'SessionStart': {
			return 'idle';
		}

		case 'UserPromptSubmit':
		case 'PreToolUse':
		case 'PostToolUse':
		case 'PreCompact':
		case 'BeforeAgent':
		case 'BeforeTool':
		case 'AfterTool':
		case 'BeforeModel': {
			return 'working';
		}

		case 'PermissionRequest': {
			return 'waiting_approval';
		}

		case 'Notification': {
			const type = text(payload.notification_type);
			return type === 'permission_prompt' || type === 'ToolPermission' ? 'waiting_approval'
				: type === 'idle_prompt' ? 'idle'
					: type === 'elicitation_dialog' ? 'waiting_input' : undefined;
		}

		case 'Stop': {
			return afterTurn(text(payload.last_assistant_message));
		}

		case 'AfterAgent': {
			return afterTurn(text(payload.prompt_response));
		}

		case 'agent-turn-complete': {
			return afterTurn(text(payload['last-assistant-message']));
		}

		case 'StopFailure': {
			return limitErrors.has(text(payload.error) ?? '') ? 'limited' : 'error';
		}

		case 'SessionEnd': {
			// `/clear` ends one session and starts the next in the same process.
			return text(payload.reason) === 'clear' ? undefined : 'exited';
		}

		default: {
			return undefined;
		}
	}
}
