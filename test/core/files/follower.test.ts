import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {FileFollower} from '../../../source/core/files/follower.js';
import {asLines, type RawLine} from '../../../source/core/files/lines.js';
import type {FilePosition} from '../../../source/core/files/segments.js';

/** A temp folder with `file` in it; the follower reads in passes called by the test (no waiting). */
function setup() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-files-'));
	return {dir, file: path.join(dir, 'queue'), cleanup: () => fs.rmSync(dir, {recursive: true, force: true})};
}

test('a chunk whose handler throws is read again on the next pass', t => {
	const {file, cleanup} = setup();
	fs.writeFileSync(file, 'a\nb\n');
	const seen: string[] = [];
	let fail = true;
	const follower = new FileFollower({
		file,
		from: 'start',
		pollInterval: 60_000,
		onChunk({data}) {
			if (data.length > 0 && fail) {
				fail = false;
				throw new Error('store busy');
			}

			seen.push(data.toString());
		},
	});
	follower.start();
	t.deepEqual(seen.filter(Boolean), []);
	follower.check();
	t.deepEqual(seen.filter(Boolean), ['a\nb\n']);
	t.is(follower.position()?.line, 2);
	follower.stop();
	cleanup();
});

test('without countLines the same bytes arrive and positions keep their line', t => {
	const {file, cleanup} = setup();
	fs.writeFileSync(file, 'a\nb\nc\n');
	const seen: string[] = [];
	const follower = new FileFollower({
		file,
		from: 'start',
		countLines: false,
		pollInterval: 60_000,
		onChunk({data, position}) {
			seen.push(`${data.toString()}@${position.offset}:${position.line}`);
		},
	});
	follower.start();
	t.deepEqual(seen.filter(chunk => !chunk.startsWith('@')), ['a\nb\nc\n@6:0']);
	follower.stop();
	cleanup();
});

test('a line longer than the read size is rejected once and numbering goes on after it', t => {
	const {file, cleanup} = setup();
	fs.writeFileSync(file, `one\n${'x'.repeat(5000)}\nthree\n`);
	const lines: RawLine[] = [];
	let after: FilePosition | undefined;
	const follower = new FileFollower({
		file,
		from: 'start',
		chunkSize: 1001,
		pollInterval: 60_000,
		onChunk: asLines((batch, position) => {
			lines.push(...batch);
			after = position;
		}, 1000),
	});
	follower.start();
	t.deepEqual(lines.map(line => [line.line, line.text ?? line.problem]), [[1, 'one'], [2, 'line too long (over 1000 bytes)'], [3, 'three']]);
	t.deepEqual(after && {offset: after.offset, line: after.line}, {offset: fs.statSync(file).size, line: 3});
	follower.stop();
	cleanup();
});

test('a resume position whose file was moved away is found by findMoved and finished first', t => {
	const {dir, file, cleanup} = setup();
	fs.writeFileSync(file, 'a1\n');
	const {dev, ino} = fs.statSync(file);
	fs.appendFileSync(file, 'a2\n');
	fs.mkdirSync(path.join(dir, 'archive'));
	const moved = path.join(dir, 'archive', 'queue-1');
	fs.renameSync(file, moved);
	fs.writeFileSync(file, 'b1\n');
	const seen: string[] = [];
	const follower = new FileFollower({
		file,
		resume: {dev, ino, offset: 3, line: 1},
		pollInterval: 60_000,
		findMoved: identity => (identity.ino === ino ? moved : undefined),
		onChunk: asLines(batch => {
			seen.push(...batch.map(line => `${line.line}:${line.text}`));
		}, 1000),
	});
	follower.start();
	t.deepEqual(seen, ['2:a2', '1:b1']);
	follower.stop();
	cleanup();
});
