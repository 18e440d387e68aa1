import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {PositionFileWriter, readPositionFile} from '../../../source/core/mailbox/position-file.js';
import {waitFor} from '../../helpers/wait.js';

const at = (offset: number) => ({dev: 1, ino: 2, offset, line: offset / 10});

test('the position file gets the first position at once, later ones at most once a second, the last one always', async t => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-position-'));
	t.teardown(() => {
		fs.rmSync(dir, {recursive: true, force: true});
	});
	const file = path.join(dir, 'mailbox.offset');
	const writer = new PositionFileWriter(file, error => {
		throw error;
	});
	writer.save(at(10));
	t.deepEqual(readPositionFile(file), at(10), 'the first of a quiet spell is written at once');
	const written = Date.now();
	writer.save(at(20));
	writer.save(at(30));
	t.deepEqual(readPositionFile(file), at(10), 'the next ones wait');
	await waitFor(() => readPositionFile(file)?.offset === 30, {what: 'the last position', timeout: 3000});
	t.true(Date.now() - written >= 900, 'not before a second had passed');
	writer.save(at(40));
	writer.flush();
	t.deepEqual(readPositionFile(file), at(40), 'flush writes what is pending');
});

test('a position file that cannot be written is reported once, and the writer goes on', t => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-position-'));
	t.teardown(() => {
		fs.rmSync(dir, {recursive: true, force: true});
	});
	const errors: unknown[] = [];
	const writer = new PositionFileWriter(path.join(dir, 'missing', 'mailbox.offset'), error => errors.push(error));
	for (let offset = 10; offset <= 30; offset += 10) {
		writer.save(at(offset));
		writer.flush();
	}

	t.is(errors.length, 1);
});
