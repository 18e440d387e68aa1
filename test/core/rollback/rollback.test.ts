import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {rollback} from '../../../source/core/rollback/rollback.js';
import {makeProject} from '../../helpers/project.js';

/** A real repository: commit `good` (v1), then HEAD (v2), plus staged, unstaged and untracked work and .cmux state. */
async function repository() {
	const {root, cleanup} = makeProject({healthPort: 0});
	const git = async (...args: string[]) => (await execa('git', args, {cwd: root})).stdout;
	await git('init', '-q', '-b', 'main');
	await git('config', 'user.email', 'test@example.com');
	await git('config', 'user.name', 'test');
	fs.writeFileSync(path.join(root, '.gitignore'), '.cmux/\n');
	fs.writeFileSync(path.join(root, 'app.txt'), 'v1\n');
	fs.writeFileSync(path.join(root, 'lib.txt'), 'lib v1\n');
	await git('add', '.');
	await git('commit', '-qm', 'good');
	const good = await git('rev-parse', 'HEAD');
	fs.writeFileSync(path.join(root, 'app.txt'), 'v2 broken\n');
	await git('commit', '-qam', 'broken');
	const head = await git('rev-parse', 'HEAD');
	fs.writeFileSync(path.join(root, 'app.txt'), 'v3 work in progress\n');
	fs.writeFileSync(path.join(root, 'staged.txt'), 'staged work\n');
	await git('add', 'staged.txt');
	fs.writeFileSync(path.join(root, 'lib.txt'), 'lib staged\n');
	await git('add', 'lib.txt');
	fs.writeFileSync(path.join(root, 'lib.txt'), 'lib staged then edited\n');
	fs.writeFileSync(path.join(root, 'notes.txt'), 'untracked notes\n');
	fs.writeFileSync(path.join(root, '.cmux', 'state.txt'), 'orchestrator state\n');
	const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
	return {root, git, good, head, read, cleanup};
}

test.serial('a verified rollback checks out the good commit and keeps all work in a stash and a branch', async t => {
	const repo = await repository();
	try {
		let restarts = 0;
		const result = await rollback({cwd: repo.root, good: repo.good, gitTimeout: 10_000, rebuildAndRestart: async () => {
			restarts++;
		}, verify: async () => ({ok: true})});
		t.true(result.ok, result.reason);
		t.is(restarts, 1);
		t.is(await repo.git('rev-parse', 'HEAD'), repo.good);
		t.is(repo.read('app.txt'), 'v1\n');
		t.is(repo.read('.cmux/state.txt'), 'orchestrator state\n');
		t.is(await repo.git('rev-parse', result.branch), repo.head);
		t.regex(await repo.git('stash', 'list'), /cmux-tui rollback .*uncommitted work on main/);
		t.is(await repo.git('show', `${result.stash!}:app.txt`), 'v3 work in progress');
		t.is(await repo.git('show', `${result.stash!}:lib.txt`), 'lib staged then edited');
		t.is(await repo.git('show', `${result.stash!}^2:lib.txt`), 'lib staged');
		t.is(await repo.git('show', `${result.stash!}^2:staged.txt`), 'staged work');
		t.is(await repo.git('show', `${result.stash!}^3:notes.txt`), 'untracked notes');
	} finally {
		repo.cleanup();
	}
});

test.serial('a failed rollback restores the branch and every uncommitted change', async t => {
	const repo = await repository();
	try {
		const result = await rollback({cwd: repo.root, good: repo.good, gitTimeout: 10_000, rebuildAndRestart: async () => undefined,
			verify: async () => ({ok: false, reason: 'server unhealthy'})});
		t.false(result.ok);
		t.true(result.restored);
		t.regex(result.reason!, /server unhealthy/);
		t.is(await repo.git('symbolic-ref', '--short', 'HEAD'), 'main');
		t.is(await repo.git('rev-parse', 'HEAD'), repo.head);
		t.is(repo.read('app.txt'), 'v3 work in progress\n');
		t.is(repo.read('lib.txt'), 'lib staged then edited\n');
		t.is(repo.read('staged.txt'), 'staged work\n');
		t.is(repo.read('notes.txt'), 'untracked notes\n');
		t.is(repo.read('.cmux/state.txt'), 'orchestrator state\n');
		t.is(await repo.git('show', ':lib.txt'), 'lib staged');
		t.is(await repo.git('show', ':staged.txt'), 'staged work');
		t.is(await repo.git('stash', 'list'), '');
		t.is(await repo.git('rev-parse', result.branch), repo.head);
	} finally {
		repo.cleanup();
	}
});

test.serial('a rollback whose restart throws is undone the same way', async t => {
	const repo = await repository();
	try {
		let calls = 0;
		const result = await rollback({cwd: repo.root, good: repo.good, gitTimeout: 10_000, rebuildAndRestart: async () => {
			calls++;
			if (calls === 1) {
				throw new Error('build exploded');
			}
		}, verify: async () => ({ok: true})});
		t.false(result.ok);
		t.true(result.restored);
		t.regex(result.reason!, /build exploded/);
		t.is(repo.read('app.txt'), 'v3 work in progress\n');
		t.is(repo.read('notes.txt'), 'untracked notes\n');
	} finally {
		repo.cleanup();
	}
});
