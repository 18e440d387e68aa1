import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {openProject} from '../../../source/core/project.js';
import {readRegistry} from '../../../source/core/registry/registry.js';
import {createOrchestrator} from '../../../source/core/run.js';
import {freePort, makeProject, runCli} from '../../helpers/project.js';
import {privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

/** A whole orchestrator (health port, agents, mailbox…) on a temp project and a private tmux server. */
async function startCmuxProject(agents: Array<Record<string, unknown>> = [], before?: (h: {root: string; tmux: ReturnType<typeof privateTmux>}) => Promise<void>) {
	const tmux = privateTmux('compat');
	const port = await freePort();
	const project = makeProject({session: 'cmux', tmuxSocket: tmux.socket, healthPort: port, agents, mailbox: {lockFile: path.join(process.env.TMPDIR ?? '/tmp', `cmux-test-api-${process.pid}-${port}.lock`)}});
	await before?.({root: project.root, tmux});
	const running = createOrchestrator(openProject({project: project.root, env: {}}), {log: nullLogger});
	const events: CmuxEvent[] = [];
	running.orchestrator.on('event', event => events.push(event));
	await running.start();
	return {
		root: project.root, tmux, port, events, running,
		async event(type: string, agent?: string) {
			return waitFor(() => events.find(event => event.type === type && (agent === undefined || (event as {agent?: string}).agent === agent)), {timeout: 15_000, what: `${type} ${agent ?? ''}`});
		},
		/** curl as CMUX's tools call it: `curl -s -X METHOD http://localhost:PORT/… -H … -d BODY`. */
		async curl(method: string, route: string, body?: string) {
			const result = await execa('curl', ['-s', '-o', '-', '-w', '\n%{http_code}', '-X', method, `http://localhost:${port}${route}`, ...(body === undefined ? [] : ['-H', 'Content-Type: application/json', '-d', body])], {reject: false});
			const lines = result.stdout.split('\n');
			const status = Number(lines.pop());
			const text = lines.join('\n');
			return {status, text, json: text ? JSON.parse(text) as Record<string, unknown> : undefined};
		},
		async cleanup() {
			await running.shutdown('test').catch(() => {});
			await tmux.kill();
			project.cleanup();
		},
	};
}

test.serial('mailbox send user through the api is stored and shown in status and the mailbox', async t => {
	const h = await startCmuxProject();
	try {
		// tools/mailbox `send user "Bug Fixed" "Changed token.py line 42"`.
		const sent = await h.curl('POST', '/api/messages/internal', JSON.stringify({from_agent: 'worker-1', to_agent: 'user', content: 'Bug Fixed\n\nChanged token.py line 42', type: 'user'}));
		t.is(sent.status, 200);
		t.is(sent.json?.status, 'stored');
		const id = sent.json?.id as string;
		t.like(await h.event('message.delivered'), {id, to: 'user'});
		// tools/mailbox `update ID working`: its PATCH (the status_update line is the mailbox test's).
		const patched = await h.curl('PATCH', `/api/messages/${id}/status`, JSON.stringify({status: 'working'}));
		t.deepEqual(patched.json, {status: 'updated', message_id: id, task_status: 'working'});
		t.like(await h.event('message.status'), {id, status: 'working', previous: 'submitted'});
		t.is((await h.curl('PATCH', '/api/messages/nope/status', JSON.stringify({status: 'working'}))).status, 404);
		const status = await runCli(['status', '--json'], {cwd: h.root});
		const report = JSON.parse(status.stdout) as {mailbox: {toUser: Array<{id: string; from: string; subject: string; taskStatus: string}>}};
		t.like(report.mailbox.toUser[0], {id, from: 'worker-1', subject: 'Bug Fixed', taskStatus: 'working'});
		// Between agents (workers send) the caller typed it itself: recorded, never delivered again.
		const recorded = await h.curl('POST', '/api/messages/internal', JSON.stringify({from_agent: 'supervisor', to_agent: 'worker-1', content: 'also do X', type: 'task'}));
		const row = h.running.orchestrator.context.store.messages.get(recorded.json?.id as string);
		t.like(row, {state: 'delivered', to: 'worker-1', subject: 'also do X'});
	} finally {
		await h.cleanup();
	}
});

test.serial('bad bodies are 400 naming the field, wrong methods 405, unknown api paths 404', async t => {
	const h = await startCmuxProject();
	try {
		const missing = await h.curl('POST', '/api/messages/internal', JSON.stringify({from_agent: 'w', content: 'x'}));
		t.is(missing.status, 400);
		t.is(missing.json?.detail, 'to_agent: required');
		const badStatus = await h.curl('PATCH', '/api/messages/m1/status', JSON.stringify({status: 'sleeping'}));
		t.is(badStatus.status, 400);
		t.regex(String(badStatus.json?.detail), /^status: expected one of "submitted"/);
		const notJson = await h.curl('POST', '/api/heartbeat', '{"timestamp": ');
		t.is(notJson.status, 400);
		const badBeat = await h.curl('POST', '/api/heartbeat', JSON.stringify({timestamp: 'now'}));
		t.is(badBeat.json?.detail, 'timestamp: expected a number (seconds since the epoch), got "now"');
		t.is((await h.curl('POST', '/api/journal/entry', JSON.stringify({content: 'x'}))).status, 400);
		t.is((await h.curl('GET', '/api/messages/internal')).status, 405);
		t.is((await h.curl('GET', '/api/nothing')).status, 404);
	} finally {
		await h.cleanup();
	}
});

test.serial('the monitor heartbeat and health check are answered as cmux answers them', async t => {
	const h = await startCmuxProject();
	try {
		// monitor.sh: curl -sf …/api/webhooks/health | grep -q '"api":"healthy"'
		const health = await h.curl('GET', '/api/webhooks/health');
		t.is(health.status, 200);
		t.true(health.text.includes('"api":"healthy"'));
		const sections = {supervisor: 'active (12s idle)', workers: '2 active', mailbox: '0 pending', backlog: '0 items', health: 'healthy', git: 'clean'};
		const beat = await h.curl('POST', '/api/heartbeat', JSON.stringify({timestamp: 1_769_900_000, sections, highest_priority: null, all_clear: true}));
		t.deepEqual(beat.json, {success: true});
		t.like(h.running.orchestrator.context.store.serviceState('cmux-heartbeat'), {status: 'healthy', detail: {timestamp: 1_769_900_000, sections, all_clear: true}});
	} finally {
		await h.cleanup();
	}
});

test.serial('register from the monitor needs the window and writes cmux keys', async t => {
	const h = await startCmuxProject([], async ({tmux}) => {
		await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'home']);
		await tmux.run(['new-window', '-d', '-t', 'cmux:', '-n', 'supervisor', 'sh', '-c', 'exec sleep 600']);
	});
	try {
		const body = JSON.stringify({agent_id: 'supervisor', agent_type: 'supervisor', created_by: 'monitor.sh'});
		const registered = await h.curl('POST', '/api/agents/register', body);
		t.deepEqual(registered.json, {registered: 'supervisor', agent_id: 'ag_0000prim'});
		t.like(readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry.supervisor, {type: 'supervisor', role: 'supervisor', created_by: 'monitor.sh', project_id: 'cmux', display_name: 'supervisor', window: 'cmux:supervisor'});
		await h.event('agent.registered', 'supervisor');
		const missing = await h.curl('POST', '/api/agents/register', JSON.stringify({agent_id: 'ghost'}));
		t.is(missing.status, 404);
		t.false('ghost' in readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry);
		t.is((await h.curl('POST', '/api/agents/register', JSON.stringify({agent_id: 'other:w1'}))).status, 400);
	} finally {
		await h.cleanup();
	}
});

test.serial('workers kill after archive closes the window without a missing alert', async t => {
	const h = await startCmuxProject([{name: 'boss', type: 'supervisor', command: 'exec sleep 600'}], async ({root, tmux}) => {
		await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'home']);
		for (const name of ['w-kill', 'w-gone']) {
			await tmux.run(['new-window', '-d', '-t', 'cmux:', '-n', name, 'sh', '-c', `echo working on ${name}; exec sleep 600`]);
		}

		const entry = (name: string, id: string) => ({registered_at: '2026-02-21T16:40:50Z', type: 'worker', created_by: 'tools/workers', created_at: '2026-02-21T16:40:50Z', agent_id: id, display_name: name, role: 'worker', project_id: 'cmux'});
		fs.writeFileSync(path.join(root, '.cmux', 'agent_registry.json'), JSON.stringify({'w-kill': entry('w-kill', 'ag_kill0001'), 'w-gone': entry('w-gone', 'ag_gone0001')}));
	});
	try {
		await h.event('agent.started', 'w-kill');
		await h.event('agent.started', 'w-gone');
		// tools/workers kill: curl -sX POST …/api/agents/NAME/archive, C-c, kill-window.
		const archived = await h.curl('POST', '/api/agents/w-kill/archive');
		t.like(archived.json, {success: true, agent_id: 'w-kill', agent_name: 'w-kill'});
		t.true(fs.readFileSync(archived.json?.archive_id as string, 'utf8').includes('working on w-kill'));
		t.is((await h.curl('POST', '/api/agents/nobody/archive')).status, 404);
		await h.tmux.run(['kill-window', '-t', 'cmux:w-kill']);
		t.like(await h.event('agent.unregistered', 'w-kill'), {reason: 'archived'});
		// A window closed without archiving is still reported: the later event that proves the loop ran.
		await h.tmux.run(['kill-window', '-t', 'cmux:w-gone']);
		await h.event('agent.stale_removed', 'w-gone');
		await h.event('log.alert');
		t.false(h.events.some(event => event.type === 'agent.stale_removed' && (event as {agent?: string}).agent === 'w-kill'));
		t.false(h.events.some(event => event.type === 'log.alert' && String((event as {file?: string}).file).includes('w-kill')));
		t.false('w-kill' in readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry);
	} finally {
		await h.cleanup();
	}
});

test.serial('journal entries through the api and cmux-tui read back in cmux format', async t => {
	const h = await startCmuxProject();
	try {
		const posted = await h.curl('POST', '/api/journal/entry', JSON.stringify({title: 'Auth Investigation', content: 'Found three issues:\n1. expiry\n2. rate limit', project_id: 'hero'}));
		t.like(posted.json, {success: true, entry: {title: 'Auth Investigation', project_id: 'hero'}});
		await h.curl('POST', '/api/journal/entry', JSON.stringify({title: 'Quick log', content: ''}));
		const day = fs.readdirSync(path.join(h.root, '.cmux', 'journal')).find(name => /^\d{4}-\d{2}-\d{2}$/.test(name))!;
		const text = fs.readFileSync(path.join(h.root, '.cmux', 'journal', day, 'journal.md'), 'utf8');
		t.true(text.startsWith(`# Journal - ${day}\n`));
		// CMUX's journal search: a `## HH:MM - [project] Title` header starts an entry, its lines follow.
		const entries: Array<{title: string; project?: string; body: string[]}> = [];
		for (const line of text.split('\n')) {
			const header = /^## \d{2}:\d{2} - (?:\[([^\]]+)\] )?(.+)$/.exec(line);
			if (header) {
				entries.push({title: header[2]!, ...(header[1] ? {project: header[1]} : {}), body: []});
			} else if (line.startsWith('## ')) {
				t.fail(`a header CMUX cannot read: ${line}`);
			} else if (entries.length > 0 && line !== '') {
				entries.at(-1)!.body.push(line);
			}
		}

		t.deepEqual(entries.slice(0, 2), [{title: 'Auth Investigation', project: 'hero', body: ['Found three issues:', '1. expiry', '2. rate limit']}, {title: 'Quick log', body: []}]);
	} finally {
		await h.cleanup();
	}
});

test.serial('an agent started by cmux-tui reaches the api on its CMUX_PORT', async t => {
	const probe = 'curl -sf "http://localhost:$CMUX_PORT/api/webhooks/health" > "$CMUX_HOME/probe.json"; echo "$CMUX_AGENT $CMUX_AGENT_ID $CMUX_AGENT_ROLE" > "$CMUX_HOME/env.txt"; exec sleep 600';
	const h = await startCmuxProject([{name: 'w1', command: probe}]);
	try {
		const probeFile = path.join(h.root, 'probe.json');
		const envFile = path.join(h.root, 'env.txt');
		await waitFor(() => fs.existsSync(probeFile) && fs.readFileSync(probeFile, 'utf8').includes('"api":"healthy"'), {timeout: 30_000, what: 'the agent reached the api'});
		// The agent writes env.txt after probe.json: wait for its line rather than reading it half-written.
		await waitFor(() => fs.existsSync(envFile) && fs.readFileSync(envFile, 'utf8').endsWith('\n'), {what: 'the agent wrote its environment'});
		const entry = readRegistry(path.join(h.root, '.cmux', 'agent_registry.json')).registry.w1!;
		t.is(fs.readFileSync(envFile, 'utf8').trim(), `true ${entry.agent_id} worker`);
	} finally {
		await h.cleanup();
	}
});
