import test from 'ava';
import {endsInQuestion, mapHook} from '../../../source/core/supervision/signals/hook-map.js';

const claude = (event: string, extra: Record<string, unknown> = {}) => ({session_id: 's1', transcript_path: '/t.jsonl', cwd: '/p', hook_event_name: event, ...extra});

test('claude session start is idle and keeps source and session id', t => {
	t.like(mapHook(claude('SessionStart', {source: 'resume'})), {state: 'idle', detail: {event: 'SessionStart', source: 'resume', session_id: 's1'}});
});

test('claude prompt submit and pre tool use are working', t => {
	t.is(mapHook(claude('UserPromptSubmit', {prompt: 'go'}))?.state, 'working');
	t.is(mapHook(claude('PreToolUse', {tool_name: 'Bash'}))?.state, 'working');
});

test('claude permission request and permission prompt notification wait for approval', t => {
	t.is(mapHook(claude('PermissionRequest', {tool_name: 'Bash'}))?.state, 'waiting_approval');
	t.is(mapHook(claude('Notification', {notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash'}))?.state, 'waiting_approval');
});

test('claude idle prompt notification is idle, other notifications say nothing', t => {
	t.is(mapHook(claude('Notification', {notification_type: 'idle_prompt'}))?.state, 'idle');
	t.is(mapHook(claude('Notification', {notification_type: 'auth_success'})), undefined);
});

test('claude stop is idle, or waiting for input after a question, or done after a done marker', t => {
	t.is(mapHook(claude('Stop', {last_assistant_message: 'All tests pass.'}))?.state, 'idle');
	t.is(mapHook(claude('Stop', {last_assistant_message: 'Should I also update the docs?'}))?.state, 'waiting_input');
	t.is(mapHook(claude('Stop', {last_assistant_message: 'Done.\nCMUX-DONE t-12 ok migrated'}))?.state, 'done');
});

test('claude stop failure is limited for rate limits and error otherwise', t => {
	t.is(mapHook(claude('StopFailure', {error: 'rate_limit'}))?.state, 'limited');
	t.is(mapHook(claude('StopFailure', {error: 'authentication_failed'}))?.state, 'error');
});

test('claude session end is exited except for a clear', t => {
	t.is(mapHook(claude('SessionEnd', {reason: 'prompt_input_exit'}))?.state, 'exited');
	t.is(mapHook(claude('SessionEnd', {reason: 'clear'})), undefined);
});

test('codex turn complete is idle or waiting for input and keeps the thread id', t => {
	const payload = {type: 'agent-turn-complete', 'thread-id': 'th', 'turn-id': '1', cwd: '/p', 'input-messages': ['go'], 'last-assistant-message': 'Done'};
	t.like(mapHook(payload), {state: 'idle', detail: {session_id: 'th'}});
	t.is(mapHook({...payload, 'last-assistant-message': 'Which file?'})?.state, 'waiting_input');
});

test('gemini before agent, after agent and tool permission notification', t => {
	t.is(mapHook({hook_event_name: 'BeforeAgent', prompt: 'x', session_id: 'g'})?.state, 'working');
	t.is(mapHook({hook_event_name: 'AfterAgent', prompt: 'x', prompt_response: 'ok'})?.state, 'idle');
	t.is(mapHook({hook_event_name: 'Notification', notification_type: 'ToolPermission', details: {}})?.state, 'waiting_approval');
});

test('unknown events say nothing', t => {
	t.is(mapHook(claude('SubagentStop')), undefined);
	t.is(mapHook({}), undefined);
});

test('a question is a final question mark, also inside closing markup', t => {
	t.true(endsInQuestion('Proceed?'));
	t.true(endsInQuestion('Proceed? **'));
	t.false(endsInQuestion('Is it? No. Done.'));
	t.false(endsInQuestion(undefined));
});
