import path from 'node:path';
import test from 'ava';
import {Store} from '../../source/core/store/store.js';
import {fixturesDir} from '../helpers/paths.js';
import {runCli} from '../helpers/project.js';
import {socketProject, startOrchestrator} from '../helpers/run.js';

const silent = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(fixturesDir, 'agents', 'silent-agent.js'))}`;

function beats(dbFile: string): Array<{agent: string; ts: string}> {
	const store = Store.open(dbFile);
	try {
		return store.supervision.heartbeats();
	} finally {
		store.close();
	}
}

// `cmux-tui beat NAME` (no options) skips the full CLI and asks the orchestrator's socket itself.
test.serial('beat through the fast path records the heartbeat and refuses an unknown agent like the full cli', async t => {
	const project = socketProject({agents: [{name: 'w1', command: silent}]});
	const run = await startOrchestrator(project);
	try {
		const before = Date.now();
		const beat = await runCli(['beat', 'w1'], {cwd: project.root});
		t.is(beat.exitCode, 0, beat.stderr);
		t.is(beat.stdout, '');
		t.is(beat.stderr, '');
		const row = beats(project.dbFile).find(entry => entry.agent === 'w1');
		t.true(row !== undefined && Date.parse(row.ts) >= before - 5, 'the beat is recorded');
		const unknown = await runCli(['beat', 'ghost'], {cwd: project.root});
		t.is(unknown.exitCode, 1);
		t.is(unknown.stderr, 'cmux-tui: unknown agent ghost (not in the config and never registered)\n');
	} finally {
		await run.stop();
		await project.cleanup();
	}
});
