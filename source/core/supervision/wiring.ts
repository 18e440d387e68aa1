import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * How an agent's own hooks reach `cmux-tui hook`, per kind, without touching the user's settings:
 * - claude: a generated settings file passed with `--settings` (Claude Code merges it with the user's);
 * - codex: `-c notify=[…]` and `-c hooks={…}` for this run only (the user's config.toml and
 *   hooks.json are untouched). Codex runs hooks from this session-flags layer only once the user
 *   has trusted them (`/hooks`; the command text is constant, so one trust lasts) or passes
 *   `--dangerously-bypass-hook-trust`; cmux-tui never bypasses that itself. `notify` needs no trust;
 * - gemini: `GEMINI_CLI_SYSTEM_SETTINGS_PATH` names a generated file holding the system settings that
 *   were in force (if any) plus our hooks;
 * - generic: nothing to wire (`CMUX_AGENT_NAME` is set; a script may call `cmux-tui hook` itself).
 * The appended command text is constant: every value reaches the shell through the environment,
 * so nothing from data is ever quoted into a shell string. Hook commands run `$CMUX_HOOK_NODE
 * $CMUX_HOOK_BIN hook`, set in the agent's environment.
 */
export interface HookWiring {
	/** Appended to the agent's command (constant text). */
	suffix: string;
	env: Record<string, string>;
}

/** bin/cmux-tui of this package (found upwards: the code runs from dist/ or, in tests, build/source/). */
const binPath = (() => {
	for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'bin', 'cmux-tui');
		if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) {
			return candidate;
		}
	}

	return 'cmux-tui';
})();
const hookCommand = (kind: string) => `"$CMUX_HOOK_NODE" "$CMUX_HOOK_BIN" hook --kind ${kind}`;

/** Claude Code events wired, with a tool matcher where the event has one. */
const claudeEvents: Array<[string, boolean]> = [
	['SessionStart', false], ['UserPromptSubmit', false], ['PreToolUse', true], ['PermissionRequest', true], ['Notification', false],
	['Stop', false], ['StopFailure', false], ['SessionEnd', false], ['PreCompact', false],
];
const geminiEvents = ['SessionStart', 'BeforeAgent', 'AfterAgent', 'Notification', 'SessionEnd'];
/** Codex hook events wired (openai/codex codex-rs/config/src/hook_config.rs: HookEventsToml). */
const codexEvents = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'Stop'];

/** Where the generated settings files live. */
export function hooksDir(root: string): string {
	return path.join(root, '.cmux', 'hooks');
}

/** Where a Claude Code agent's status line leaves its last status JSON (context use), with `tasks.compactAt`. */
export function contextFile(root: string, name: string): string {
	return path.join(root, '.cmux', 'run', `${name}.context.json`);
}

/**
 * Claude Code's status line command gets the session JSON on stdin (`context_window.used_percentage`,
 * `context_window_size`, `current_usage`); this one keeps it whole (written aside, then renamed) in
 * $CMUX_CONTEXT_FILE and prints nothing. Constant text: the path comes from the environment.
 */
const statusLineCommand = 'cat > "$CMUX_CONTEXT_FILE.tmp" && mv -f "$CMUX_CONTEXT_FILE.tmp" "$CMUX_CONTEXT_FILE"';

/**
 * The wiring of one agent; writes the kind's settings file when it needs one. `statusLine` (with
 * `tasks.compactAt`) adds the status line that records a Claude Code agent's context use; it replaces
 * the user's own status line in the agents cmux-tui starts.
 */
export function hookWiring(root: string, kind: string, options: {resume?: string; statusLine?: boolean} = {}): HookWiring {
	const env: Record<string, string> = {CMUX_AGENT_KIND: kind, CMUX_HOOK_NODE: process.execPath, CMUX_HOOK_BIN: binPath};
	switch (kind) {
		case 'claude': {
			const file = writePrivate(path.join(hooksDir(root), options.statusLine ? 'claude-settings-context.json' : 'claude-settings.json'), claudeSettings(options.statusLine));
			env.CMUX_HOOK_SETTINGS = file;
			let suffix = ' --settings "$CMUX_HOOK_SETTINGS"';
			if (options.resume) {
				env.CMUX_RESUME_SESSION = options.resume;
				suffix += ' --resume "$CMUX_RESUME_SESSION"';
			}

			return {suffix, env};
		}

		case 'codex': {
			env.CMUX_CODEX_NOTIFY = `notify=${JSON.stringify([process.execPath, binPath, 'hook', '--kind', 'codex'])}`;
			env.CMUX_CODEX_HOOKS = codexHooks();
			return {suffix: ' -c "$CMUX_CODEX_NOTIFY" -c "$CMUX_CODEX_HOOKS"', env};
		}

		case 'gemini': {
			env.GEMINI_CLI_SYSTEM_SETTINGS_PATH = writePrivate(path.join(hooksDir(root), 'gemini-settings.json'), geminiSettings());
			return {suffix: '', env};
		}

		default: {
			return {suffix: '', env};
		}
	}
}

function claudeSettings(statusLine = false): unknown {
	const hooks: Record<string, unknown[]> = {};
	for (const [event, tool] of claudeEvents) {
		hooks[event] = [{...(tool ? {matcher: '*'} : {}), hooks: [{type: 'command', command: hookCommand('claude'), timeout: 10}]}];
	}

	return statusLine ? {hooks, statusLine: {type: 'command', command: statusLineCommand, padding: 0}} : {hooks};
}

/**
 * `hooks={Event=[{hooks=[{type="command",command="…",timeout=10}]}],…}`: a TOML inline table for
 * `codex -c`, one matcher group per event (no matcher: every tool). The command is constant text
 * (JSON string quoting is valid TOML basic-string quoting for it).
 */
export function codexHooks(): string {
	const group = `[{hooks=[{type="command",command=${JSON.stringify(hookCommand('codex'))},timeout=10}]}]`;
	return `hooks={${codexEvents.map(event => `${event}=${group}`).join(',')}}`;
}

/** The system settings Gemini CLI would have read, plus our hooks appended to each event. */
function geminiSettings(): Record<string, unknown> {
	const systemFile = process.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH
		?? (process.platform === 'darwin' ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json');
	let base: Record<string, unknown> = {};
	try {
		const value = JSON.parse(fs.readFileSync(systemFile, 'utf8')) as unknown;
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			base = value as Record<string, unknown>;
		}
	} catch {
		// No system settings (the usual case), or unreadable ones: ours stand alone.
	}

	const existing = typeof base.hooks === 'object' && base.hooks !== null ? base.hooks as Record<string, unknown> : {};
	const hooks: Record<string, unknown> = {...existing};
	for (const event of geminiEvents) {
		const before = Array.isArray(existing[event]) ? existing[event] as unknown[] : [];
		hooks[event] = [...before, {matcher: '*', hooks: [{name: 'cmux-tui', type: 'command', command: hookCommand('gemini'), timeout: 10_000}]}];
	}

	return {...base, hooks};
}

function writePrivate(file: string, value: unknown): string {
	fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const temporary = `${file}.${process.pid}.${os.hostname().length}.tmp`;
	fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, {mode: 0o600});
	fs.renameSync(temporary, file);
	return file;
}
