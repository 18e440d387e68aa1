import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {FileFollower} from '../../../source/core/files/follower.js';
import {asText} from '../../../source/core/files/lines.js';
import type {FilePosition} from '../../../source/core/files/segments.js';
import {waitFor} from '../../helpers/wait.js';
import {append, tempProject} from '../logs/harness.js';

function follow(file: string, resume?: FilePosition) {
	const lines: string[] = [];
	let position: FilePosition | undefined;
	const follower = new FileFollower({
		file,
		resume,
		pollInterval: 50,
		onChunk: asText((text, at) => {
			lines.push(...text.split('\n').slice(0, -1));
			position = at;
		}),
	});
	return {follower, lines, position: () => position ?? follower.position()};
}

function numbered(prefix: string, from: number, to: number): string {
	let text = '';
	for (let n = from; n <= to; n++) {
		text += `${prefix}${n}\n`;
	}

	return text;
}

function expected(prefix: string, from: number, to: number): string[] {
	return numbered(prefix, from, to).split('\n').slice(0, -1);
}

async function withFile(run: (file: string) => Promise<void>): Promise<void> {
	const project = tempProject();
	try {
		await run(path.join(project.root, 'logs', 'app.log'));
	} finally {
		project.cleanup();
	}
}

test('the first start skips what the file already holds', async t => {
	await withFile(async file => {
		append(file, numbered('old', 1, 3));
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('new', 1, 2));
		await waitFor(() => lines.length >= 2, {what: 'new lines'});
		await follower.stop();
		t.deepEqual(lines, expected('new', 1, 2));
	});
});

test('a file missing at start is read from its beginning when it appears', async t => {
	await withFile(async file => {
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 3));
		await waitFor(() => lines.length >= 3, {what: 'lines of the late file'});
		await follower.stop();
		t.deepEqual(lines, expected('a', 1, 3));
	});
});

test('rename rotation reads the rest of the old file then the new one', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 3));
		await waitFor(() => lines.length >= 3);
		append(file, numbered('a', 4, 5));
		fs.renameSync(file, `${file}.1`);
		append(file, numbered('b', 1, 2));
		await waitFor(() => lines.length >= 7, {what: 'lines after rotation'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 5), ...expected('b', 1, 2)]);
	});
});

test('several rename rotations at once lose no file in between', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 2));
		await waitFor(() => lines.length >= 2);
		for (const prefix of ['b', 'c', 'd']) {
			if (fs.existsSync(`${file}.2`)) {
				fs.renameSync(`${file}.2`, `${file}.3`);
			}

			if (fs.existsSync(`${file}.1`)) {
				fs.renameSync(`${file}.1`, `${file}.2`);
			}

			fs.renameSync(file, `${file}.1`);
			append(file, numbered(prefix, 1, 2));
		}

		await waitFor(() => lines.length >= 8, {what: 'lines of every rotated file'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 2), ...expected('b', 1, 2), ...expected('c', 1, 2), ...expected('d', 1, 2)]);
	});
});

test('copytruncate reads the unread rest from the copy, then the file from its start', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 3));
		await waitFor(() => lines.length >= 3);
		append(file, numbered('a', 4, 6));
		fs.copyFileSync(file, `${file}.1`);
		fs.truncateSync(file, 0);
		append(file, numbered('b', 1, 2));
		await waitFor(() => lines.length >= 8, {what: 'lines after copytruncate'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 6), ...expected('b', 1, 2)]);
	});
});

test('in-place truncation starts over at the beginning', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 3));
		await waitFor(() => lines.length >= 3);
		fs.truncateSync(file, 0);
		await waitFor(async () => {
			await follower.settled();
			return follower.position()?.offset === 0;
		}, {what: 'the truncation to be noticed'});
		append(file, numbered('b', 1, 2));
		await waitFor(() => lines.length >= 5, {what: 'lines after truncation'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 3), ...expected('b', 1, 2)]);
	});
});

test('a truncated file refilled past the old offset is noticed by its changed bytes', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 2));
		await waitFor(() => lines.length >= 2);
		fs.writeFileSync(file, numbered('longer-b', 1, 4));
		await waitFor(() => lines.length >= 6, {what: 'lines of the refilled file'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 2), ...expected('longer-b', 1, 4)]);
	});
});

test('a file replaced by another is read from the new one\'s beginning', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, numbered('a', 1, 2));
		await waitFor(() => lines.length >= 2);
		const other = path.join(path.dirname(file), 'other.log');
		append(other, numbered('z', 1, 3));
		fs.renameSync(other, file);
		await waitFor(() => lines.length >= 5, {what: 'lines of the replacing file'});
		await follower.stop();
		t.deepEqual(lines, [...expected('a', 1, 2), ...expected('z', 1, 3)]);
	});
});

test('resuming from a saved position reads exactly what was written meanwhile', async t => {
	await withFile(async file => {
		append(file, numbered('seen', 1, 2));
		const first = follow(file);
		await first.follower.start();
		append(file, numbered('a', 1, 2));
		await waitFor(() => first.lines.length >= 2);
		await first.follower.stop();
		append(file, numbered('down', 1, 2));
		fs.renameSync(file, `${file}.1`);
		append(file, numbered('after', 1, 2));
		const second = follow(file, first.position());
		await second.follower.start();
		await waitFor(() => second.lines.length >= 4, {what: 'lines written while down'});
		await second.follower.stop();
		t.deepEqual(first.lines, expected('a', 1, 2));
		t.deepEqual(second.lines, [...expected('down', 1, 2), ...expected('after', 1, 2)]);
	});
});

test('a last line without a newline is delivered when its file is rotated away', async t => {
	await withFile(async file => {
		append(file, '');
		const {follower, lines} = follow(file);
		await follower.start();
		append(file, 'a1\npartial');
		await waitFor(() => lines.length >= 1);
		fs.renameSync(file, `${file}.1`);
		append(file, 'b1\n');
		await waitFor(() => lines.length >= 3, {what: 'the partial line'});
		await follower.stop();
		t.deepEqual(lines, ['a1', 'partial', 'b1']);
	});
});
