import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {FileLogger} from '../../source/core/logger.js';

test('the log rotates by size and keeps the newest files', t => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-logger-'));
	const file = path.join(dir, 'logs', 'cmux.log');
	const logger = new FileLogger(file, {maxBytes: 200, keep: 2});
	for (let index = 0; index < 40; index++) {
		logger.log('info', `entry ${index}`);
	}

	t.deepEqual(fs.readdirSync(path.dirname(file)).sort(), ['cmux.log', 'cmux.log.1', 'cmux.log.2']);
	t.true(fs.statSync(file).size <= 200);
	t.regex(fs.readFileSync(file, 'utf8'), /INFO entry 39\n$/);
	const all = ['cmux.log.2', 'cmux.log.1', 'cmux.log'].map(name => fs.readFileSync(path.join(path.dirname(file), name), 'utf8')).join('');
	const numbers = [...all.matchAll(/entry (\d+)/g)].map(match => Number(match[1]));
	t.deepEqual(numbers, numbers.map((_, index) => numbers[0]! + index), 'the kept files hold a gapless tail in order');
	t.is(fs.statSync(file).mode & 0o777, 0o600);
	fs.rmSync(dir, {recursive: true, force: true});
});
