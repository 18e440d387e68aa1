import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {execa} from 'execa';
import {FileFollower} from '../../../source/core/files/follower.js';
import {asText} from '../../../source/core/files/lines.js';
import {LogMatcher} from '../../../source/core/logs/matcher.js';
import {defaultLogIgnore, defaultLogPatterns} from '../../../source/core/config/schema.js';
import {fixturesDir} from '../../helpers/paths.js';
import {waitFor} from '../../helpers/wait.js';
import {startWatch, tempProject} from './harness.js';

const lines = 1_000_000;
const errorEvery = 10;
// 20 rotations: after 48 000, 96 000, … 960 000 lines.
const rotateEvery = 48_000;

async function spam(file: string, keep: number) {
	const result = await execa(process.execPath, [path.join(fixturesDir, 'logs', 'log-spammer.js')], {
		env: {LOG_FILE: file, LINES: String(lines), RATE: '0', ROTATE_EVERY: String(rotateEvery), ERROR_EVERY: String(errorEvery), KEEP: String(keep)},
	});
	return result.stdout.trim();
}

test.serial('every matching line of a million through 20 rename rotations is seen exactly once', async t => {
	const project = tempProject();
	const file = path.join(project.root, 'logs', 'spam.log');
	const matcher = new LogMatcher(defaultLogPatterns, defaultLogIgnore);
	const seen = new Map<number, number>();
	let lastLine = 0;
	const follower = new FileFollower({
		file,
		onChunk: asText(text => {
			for (const match of matcher.scan(text)) {
				const n = Number(/line (\d+)/.exec(match.lines[0]!)?.[1]);
				seen.set(n, (seen.get(n) ?? 0) + 1);
			}

			lastLine = Number(/line (\d+)[^\n]*\n$/.exec(text)?.[1] ?? lastLine);
		}),
	});
	try {
		await follower.start();
		// KEEP=3 as logrotate commonly does: the follower pins files by handle, so deletions cannot hurt once it has them.
		t.is(await spam(file, 3), `done ${lines}`);
		await waitFor(() => lastLine === lines, {timeout: 60_000, what: 'the last line'});
		for (const match of matcher.flush()) {
			const n = Number(/line (\d+)/.exec(match.lines[0]!)?.[1]);
			seen.set(n, (seen.get(n) ?? 0) + 1);
		}

		t.is(seen.size, lines / errorEvery);
		t.true([...seen.values()].every(count => count === 1), 'no line twice');
		t.true([...seen.keys()].every(n => n % errorEvery === 0), 'only ERROR lines');
	} finally {
		await follower.stop();
		project.cleanup();
	}
});

test.serial('the watcher counts every match of a rotating writer exactly in its alerts', async t => {
	const project = tempProject();
	const file = path.join(project.root, 'logs', 'spam.log');
	const watch = await startWatch(project.root, {logs: [{path: 'logs/spam.log', cooldown: '1h'}]});
	try {
		t.is(await spam(file, 3), `done ${lines}`);
		const {ino, size} = fs.statSync(file);
		await waitFor(() => {
			const row = watch.store.db.prepare('SELECT ino, offset FROM ingest_offsets WHERE source = ?').get('log:logs/spam.log') as {ino: number; offset: number} | undefined;
			return row?.ino === ino && row.offset === size;
		}, {timeout: 60_000, what: 'the watcher to reach the end'});
		await watch.stop();
		t.is(watch.total(), lines / errorEvery);
		t.is(watch.alerts()[0]!.count, 1);
	} finally {
		await watch.stop();
		project.cleanup();
	}
});
