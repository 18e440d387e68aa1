import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readRegistry} from '../../../source/core/registry/registry.js';
import {runCli} from '../../helpers/project.js';
import {waitFor} from '../../helpers/wait.js';
import {fixtureCommand, startHarness} from '../agents/harness.js';

const silent = fixtureCommand('silent-agent');

/** A registry entry as CMUX's Python AgentManager.create_worker writes it: bare window, CMUX keys. */
function pythonEntry(name: string, agentId: string) {
	return {registered_at: '2026-02-21T16:40:44+00:00', type: 'worker', created_by: 'system', agent_id: agentId, display_name: name, role: 'worker', project_id: 'cmux', created_at: '2026-02-21T16:40:44+00:00', session: 'cmux', window: name};
}

/** A permanent worker's entry as CMUX's `workers spawn --permanent` leaves it. */
function permanentEntry(name: string, agentId: string) {
	return {registered_at: '2026-02-21T16:40:50Z', type: 'worker', created_by: 'tools/workers', created_at: '2026-02-21T16:40:50Z', agent_id: agentId, display_name: 'Mira', role: 'permanent-worker', project_id: 'cmux', permanent: true, role_context: '.cmux/worker-contexts/perm-role.md', tasks_since_reset: 0, reset_count: 0};
}

function registryFile(root: string): string {
	return path.join(root, '.cmux', 'agent_registry.json');
}

async function openWindows(tmux: {run(args: string[]): Promise<string>}, names: string[]) {
	await tmux.run(['new-session', '-d', '-s', 'cmux', '-n', 'home']);
	for (const name of names) {
		await tmux.run(['new-window', '-d', '-t', 'cmux:', '-n', name, 'sh', '-c', 'exec sleep 600']);
	}
}

test.serial('a python entry with a bare window is adopted and announced, its cmux keys kept', async t => {
	const h = await startHarness([], {}, async ({root, tmux}) => {
		await openWindows(tmux, ['py-1', 'py-2']);
		fs.writeFileSync(registryFile(root), JSON.stringify({'py-1': pythonEntry('py-1', 'ag_py000001'), 'py-2': pythonEntry('py-2', 'ag_py000002')}, null, 2));
	});
	try {
		const started = await h.event('agent.started', 'py-1');
		t.like(started, {window: 'cmux:py-1', adopted: true});
		t.like(await h.event('agent.registered', 'py-1'), {adopted: true});
		const entry = readRegistry(registryFile(h.root)).registry['py-1']!;
		t.like(entry, {agent_id: 'ag_py000001', window: 'py-1', created_by: 'system', project_id: 'cmux', session: 'cmux', display_name: 'py-1'});
		// The pass that adopted py-1 would have removed it had it mis-read the bare window; prove the
		// loop still removes what is really gone: close py-2 and wait for its removal.
		await h.tmux.run(['kill-window', '-t', 'cmux:py-2']);
		await h.event('agent.stale_removed', 'py-2');
		t.false(h.events.some(event => (event as {agent?: string}).agent === 'py-1' && ['agent.exited', 'agent.stale_removed'].includes(event.type)));
		t.truthy(readRegistry(registryFile(h.root)).registry['py-1']);
	} finally {
		await h.cleanup();
	}
});

test.serial('a permanent entry whose window is missing is kept and reported missing, never removed', async t => {
	const h = await startHarness([], {}, async ({root, tmux}) => {
		await openWindows(tmux, ['w-temp']);
		fs.writeFileSync(registryFile(root), JSON.stringify({'perm-frontend': permanentEntry('perm-frontend', 'ag_2gtxam67'), 'w-temp': pythonEntry('w-temp', 'ag_tmp00001')}, null, 2));
	});
	try {
		const store = h.running.orchestrator.context.store;
		await waitFor(() => (store.db.prepare(`SELECT state FROM agents WHERE name = 'perm-frontend'`).get() as {state: string} | undefined)?.state === 'missing', {what: 'perm-frontend missing'});
		// More passes, then a real removal as the later event proving they ran.
		h.service.schedule();
		await h.service.settled();
		await h.tmux.run(['kill-window', '-t', 'cmux:w-temp']);
		await h.event('agent.stale_removed', 'w-temp');
		t.false(h.events.some(event => (event as {agent?: string}).agent === 'perm-frontend'), 'no event removes or re-announces it');
		t.deepEqual(readRegistry(registryFile(h.root)).registry['perm-frontend'], {...permanentEntry('perm-frontend', 'ag_2gtxam67'), name: 'perm-frontend'});
		const status = await runCli(['status', '--json'], {cwd: h.root});
		const report = JSON.parse(status.stdout) as {agents: {list: Array<{name: string; state: string}>; reason?: string}};
		t.like(report.agents.list.find(agent => agent.name === 'perm-frontend'), {state: 'missing'});
		t.regex(report.agents.reason ?? '', /perm-frontend is missing/);
		// Its window comes back (CMUX's monitor respawns permanent workers): adopted again.
		await h.tmux.run(['new-window', '-d', '-t', 'cmux:', '-n', 'perm-frontend', 'sh', '-c', 'exec sleep 600']);
		await h.event('agent.started', 'perm-frontend');
		t.is(readRegistry(registryFile(h.root)).registry['perm-frontend']!.agent_id, 'ag_2gtxam67');
	} finally {
		await h.cleanup();
	}
});

test.serial('entries cmux-tui writes carry a stable cmux agent id and agents get cmux environment', async t => {
	const h = await startHarness([{name: 'w1', command: silent}, {name: 'supervisor', type: 'supervisor', command: silent}]);
	try {
		await h.event('agent.started', 'w1');
		await h.event('agent.started', 'supervisor');
		const {registry} = readRegistry(registryFile(h.root));
		const entry = registry.w1!;
		t.regex(entry.agent_id!, /^ag_[a-z\d]{8}$/);
		t.like(entry, {display_name: 'w1', role: 'worker'});
		t.false(Number.isNaN(Date.parse(entry.created_at!)));
		t.like(registry.supervisor, {agent_id: 'ag_0000prim', role: 'supervisor'});
		const environ = fs.readFileSync(`/proc/${entry.pid}/environ`, 'latin1').split('\0');
		for (const variable of ['CMUX_AGENT=true', `CMUX_AGENT_ID=${entry.agent_id}`, 'CMUX_AGENT_NAME=w1', 'CMUX_AGENT_ROLE=worker', 'CMUX_SESSION=cmux', `CMUX_HOME=${h.root}`, `CMUX_MAILBOX=${path.join(h.root, '.cmux', 'mailbox')}`]) {
			t.true(environ.includes(variable), variable);
		}

		await h.restart();
		await waitFor(() => h.service.records.get('w1')?.state === 'running', {what: 'w1 adopted'});
		t.is(readRegistry(registryFile(h.root)).registry.w1!.agent_id, entry.agent_id, 'the id survives a restart');
	} finally {
		await h.cleanup();
	}
});

test.serial('a window closed after it was unregistered is not reported missing', async t => {
	const h = await startHarness([], {}, async ({root, tmux}) => {
		await openWindows(tmux, ['py-a', 'py-b']);
		fs.writeFileSync(registryFile(root), JSON.stringify({'py-a': pythonEntry('py-a', 'ag_aaaaaaaa'), 'py-b': pythonEntry('py-b', 'ag_bbbbbbbb')}, null, 2));
	});
	try {
		await h.event('agent.started', 'py-a');
		await h.event('agent.started', 'py-b');
		const result = await runCli(['unregister', 'py-a'], {cwd: h.root});
		t.is(result.exitCode, 0, result.stderr);
		await waitFor(() => !h.service.records.has('py-a'), {what: 'py-a forgotten'});
		await h.tmux.run(['kill-window', '-t', 'cmux:py-a']);
		await h.tmux.run(['kill-window', '-t', 'cmux:py-b']);
		await h.event('agent.stale_removed', 'py-b');
		t.false(h.events.some(event => (event as {agent?: string}).agent === 'py-a' && ['agent.exited', 'agent.stale_removed', 'agent.registered'].includes(event.type) && !(event as {adopted?: boolean}).adopted));
		t.false('py-a' in readRegistry(registryFile(h.root)).registry);
	} finally {
		await h.cleanup();
	}
});
