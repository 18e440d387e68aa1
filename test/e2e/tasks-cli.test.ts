import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {gitInit} from '../core/tasks/harness.js';
import {makeProject, runCli} from '../helpers/project.js';

const setup = () => {
	const project = makeProject({session: 'cmux', healthPort: 0, agents: [{name: 'w1', command: 'sleep 1000'}, {name: 'w2', command: 'sleep 1000'}]});
	gitInit(project.root);
	return project;
};

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

test('every transition through the real cli, with history', async t => {
	const project = setup();
	t.teardown(project.cleanup);
	const cli = async (...args: string[]) => runCli(args, {cwd: project.root});
	const added = await cli('tasks', 'add', 'first', '--json', '--verify', 'test -f out.txt', '--budget', '30m', '--turns', '5');
	t.is(added.exitCode, 0, added.stderr);
	t.like(json(added.stdout), {id: 't1', state: 'backlog', budgetMs: 1_800_000, maxTurns: 5});
	t.like(json((await cli('tasks', 'assign', 't1', 'w1', '--json')).stdout), {state: 'assigned', agent: 'w1'});
	const mailbox = fs.readFileSync(path.join(project.root, '.cmux', 'mailbox'), 'utf8');
	t.regex(mailbox, /task t1: first/);
	t.regex(mailbox, /CMUX-DONE t1 ok/);
	t.like(json((await cli('tasks', 'start', 't1', '--json')).stdout), {state: 'in_progress'});
	t.like(json((await cli('tasks', 'block', 't1', '--on', 'w2', '--note', 'waits for the schema', '--json')).stdout), {state: 'blocked', blockedOn: 'w2'});
	t.like(json((await cli('tasks', 'start', 't1', '--json')).stdout), {state: 'in_progress', blockedOn: null});
	t.like(json((await cli('tasks', 'done', 't1', '--json')).stdout), {state: 'review'});
	fs.writeFileSync(path.join(project.root, 'out.txt'), 'ok');
	t.like(json((await cli('tasks', 'done', 't1', '--json')).stdout), {state: 'done'});
	const illegal = await cli('tasks', 'fail', 't1');
	t.is(illegal.exitCode, 2);
	t.is(illegal.stderr, 'cmux-tui: task t1 is done: it cannot move to failed (allowed from done: none, it is final)\n');
	const shown = json((await cli('tasks', 'show', 't1', '--json')).stdout) as {history: Array<{from: string; to: string}>};
	t.deepEqual(shown.history.map(step => `${step.from}>${step.to}`), ['new>backlog', 'backlog>assigned', 'assigned>in_progress', 'in_progress>blocked', 'blocked>in_progress', 'in_progress>review', 'review>done']);
});

test('fail, reset and the dependency wait through the cli', async t => {
	const project = setup();
	t.teardown(project.cleanup);
	const cli = async (...args: string[]) => runCli(args, {cwd: project.root});
	await cli('tasks', 'add', 'base');
	const dependent = await cli('tasks', 'add', 'on top', '--depends', 't1', '--to', 'w2', '--json');
	t.like(json(dependent.stdout), {state: 'assigned', depends: ['t1'], offeredAt: null});
	t.like(json((await cli('tasks', 'fail', 't1', '--note', 'wrong approach', '--json')).stdout), {state: 'failed', note: 'wrong approach'});
	t.like(json((await cli('tasks', 'reset', 't1', '--json')).stdout), {state: 'backlog'});
	const bad = await cli('tasks', 'start', 't1');
	t.is(bad.exitCode, 2);
	t.regex(bad.stderr, /^cmux-tui: task t1 is backlog: it cannot move to in_progress \(allowed from backlog: assigned, blocked, failed\)\n$/);
	const listed = JSON.parse((await cli('tasks', 'list', '--json', '--state', 'assigned')).stdout) as Array<{id: string}>;
	t.deepEqual(listed.map(task => task.id), ['t2']);
	t.is((await cli('tasks', 'list', '--state', 'nope')).exitCode, 2);
	t.is((await cli('tasks', 'assign', 't1', 'ghost')).exitCode, 2);
});
