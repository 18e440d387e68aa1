import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {checkFrontend} from '../../../source/core/frontend/check.js';
import {rebuildFrontend} from '../../../source/core/frontend/rebuild.js';
import {projectCookiePrefix, processesWithCookie} from '../../../source/core/process/cookie.js';
import {fixturesDir} from '../../helpers/paths.js';
import {freePort, makeProject} from '../../helpers/project.js';

const build = path.join(fixturesDir, 'frontend', 'build.js');
const install = path.join(fixturesDir, 'frontend', 'install.js');

/** A project with a frontend in `web dir $(touch pwned)/` (a hostile folder name) and an old bundle in dist. */
function frontendProject(options: {buildEnv?: string; install?: string; timeout?: string; url?: string} = {}) {
	const {root, cleanup} = makeProject();
	const dir = path.join(root, 'web dir $(touch pwned)');
	const dist = path.join(dir, 'dist');
	fs.mkdirSync(path.join(dist, 'assets'), {recursive: true});
	fs.writeFileSync(path.join(dist, 'index.html'), 'old index');
	fs.writeFileSync(path.join(dist, 'assets', 'old.js'), 'old bundle');
	const config = validateConfig({frontend: {
		dir, build: `${options.buildEnv ?? ''} node '${build}' {out}`, timeout: options.timeout ?? '20s',
		...(options.install ? {install: options.install} : {}), ...(options.url ? {url: options.url} : {}),
	}}).frontend!;
	const oldIsIntact = () => fs.readFileSync(path.join(dist, 'index.html'), 'utf8') === 'old index' && fs.readdirSync(path.join(dist, 'assets')).join() === 'old.js';
	const leftovers = () => fs.readdirSync(dir).filter(name => name !== 'dist');
	return {root, dir, dist, config, oldIsIntact, leftovers, cleanup};
}

test('the check fails when index.html is missing', async t => {
	const project = frontendProject();
	try {
		fs.rmSync(path.join(project.dist, 'index.html'));
		const check = await checkFrontend(project.config, project.root);
		t.false(check.ok);
		t.regex(check.problems.join(), /index\.html is missing/);
	} finally {
		project.cleanup();
	}
});

test('the check fails when assets hold no javascript', async t => {
	const project = frontendProject();
	try {
		fs.rmSync(path.join(project.dist, 'assets', 'old.js'));
		const check = await checkFrontend(project.config, project.root);
		t.false(check.ok);
		t.regex(check.problems.join(), /assets holds no \.js file/);
	} finally {
		project.cleanup();
	}
});

test('the check fails when the url does not answer', async t => {
	const port = await freePort();
	const project = frontendProject({url: `http://127.0.0.1:${port}/`});
	try {
		const check = await checkFrontend(project.config, project.root);
		t.false(check.ok);
		t.regex(check.problems.join(), /ECONNREFUSED/);
	} finally {
		project.cleanup();
	}
});

test('a rebuild swaps the new bundle in and leaves nothing behind', async t => {
	const project = frontendProject();
	try {
		const result = await rebuildFrontend(project.config, project.root);
		t.true(result.ok, result.reason);
		t.regex(fs.readFileSync(path.join(project.dist, 'index.html'), 'utf8'), /cmux demo/);
		t.true(fs.readdirSync(path.join(project.dist, 'assets')).some(name => /^app-[\da-f]{8}\.js$/.test(name)));
		t.deepEqual(project.leftovers(), []);
		t.true((await checkFrontend(project.config, project.root)).ok);
	} finally {
		project.cleanup();
	}
});

test('the output folder never reaches the shell as text', async t => {
	const project = frontendProject();
	try {
		t.true((await rebuildFrontend(project.config, project.root)).ok);
		t.false(fs.existsSync(path.join(project.dir, 'pwned')));
		t.false(fs.existsSync(path.join(project.root, 'pwned')));
	} finally {
		project.cleanup();
	}
});

test('a failing build leaves the old dist intact and reports its output', async t => {
	const project = frontendProject({buildEnv: 'BUILD_FAIL_FILE=/', install: `node '${install}'`});
	try {
		const result = await rebuildFrontend(project.config, project.root);
		t.false(result.ok);
		t.true(result.installed);
		t.deepEqual(result.steps.map(step => step.name), ['build', 'install', 'build']);
		t.regex(result.reason!, /build failed \(exit code 1\)/);
		t.true(result.output.includes('error: build failed (marker file)'));
		t.true(project.oldIsIntact());
		t.deepEqual(project.leftovers(), []);
	} finally {
		project.cleanup();
	}
});

test('a failed build runs install once and builds again', async t => {
	const project = frontendProject();
	const marker = path.join(project.root, 'broken');
	fs.writeFileSync(marker, '');
	const config = {...project.config, build: `BUILD_FAIL_FILE='${marker}' node '${build}' {out}`, install: `INSTALL_FIXES_FILE='${marker}' node '${install}'`};
	try {
		const result = await rebuildFrontend(config, project.root);
		t.true(result.ok, result.reason);
		t.true(result.installed);
		t.regex(fs.readFileSync(path.join(project.dist, 'index.html'), 'utf8'), /cmux demo/);
	} finally {
		project.cleanup();
	}
});

test('a build that hangs past its timeout is killed with its tree and the old dist stays', async t => {
	const project = frontendProject({buildEnv: 'BUILD_HANG=1', timeout: '1s'});
	try {
		const result = await rebuildFrontend(project.config, project.root);
		t.false(result.ok);
		t.true(result.steps[0]!.timedOut);
		t.regex(result.reason!, /timed out/);
		t.true(project.oldIsIntact());
		t.deepEqual(project.leftovers(), []);
		t.deepEqual(processesWithCookie(cookie => cookie.startsWith(`${projectCookiePrefix(project.root)}frontend:`)), []);
	} finally {
		project.cleanup();
	}
});
