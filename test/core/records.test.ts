import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {resolvePaths} from '../../source/core/config/paths.js';
import {InputError} from '../../source/core/errors.js';
import {readJsonFile} from '../../source/core/input.js';
import type {Logger} from '../../source/core/logger.js';
import {readPid, runningOrchestrator} from '../../source/core/pid-lock.js';
import {readExitStatus} from '../../source/core/agents/exit-status.js';
import {readRecord, serverRecordSchema} from '../../source/core/server/record.js';
import {Store} from '../../source/core/store/store.js';
import {makeProject} from '../helpers/project.js';

function memoryLog(): Logger & {lines: string[]} {
	const lines: string[] = [];
	return {lines, log: (level, message) => lines.push(`${level} ${message}`)};
}

test('a corrupt event row is skipped with its reason logged, the rows around it are read', t => {
	const store = Store.open(':memory:');
	const log = memoryLog();
	store.log = log;
	try {
		store.recordEvent({type: 'agent.started', agent: 'w1'});
		store.db.prepare('INSERT INTO events (ts, type, agent, data) VALUES (?, ?, ?, ?)').run('x', 'agent.started', null, '{"type": ');
		store.db.prepare('INSERT INTO events (ts, type, agent, data) VALUES (?, ?, ?, ?)').run('x', 'agent.started', null, '{"type": 3, "ts": "x"}');
		store.recordEvent({type: 'agent.exited', agent: 'w1', reason: 'killed'});
		t.deepEqual(store.events().map(event => event.type), ['agent.started', 'agent.exited']);
		t.is(log.lines.length, 2);
		t.regex(log.lines[0]!, /^warn skipped a corrupt row: events row 2: not valid JSON: /);
		t.is(log.lines[1], 'warn skipped a corrupt row: events row 3: type: expected string, got 3');
	} finally {
		store.close();
	}
});

test('a service state with corrupt detail or an unknown status reads as absent, with the reason logged', t => {
	const store = Store.open(':memory:');
	const log = memoryLog();
	store.log = log;
	try {
		store.setServiceState('server', 'healthy', {pid: 1});
		t.deepEqual(store.serviceState('server')?.detail, {pid: 1});
		store.db.prepare('UPDATE service_state SET detail = ? WHERE name = ?').run('[1]', 'server');
		t.is(store.serviceState('server'), undefined);
		store.db.prepare('UPDATE service_state SET detail = ?, status = ? WHERE name = ?').run('{}', 'fine', 'server');
		t.is(store.serviceState('server'), undefined);
		t.deepEqual(log.lines, [
			'warn skipped a corrupt row: service_state row "server": detail: expected record, got [1]',
			'warn skipped a corrupt row: service_state row "server": status: Invalid option: expected one of "healthy"|"degraded"|"unhealthy"|"off", got "fine"',
		]);
	} finally {
		store.close();
	}
});

test('a server record with a field of the wrong type is named and treated as absent', t => {
	const project = makeProject();
	try {
		const paths = resolvePaths(project.root);
		fs.mkdirSync(paths.stateDir, {recursive: true});
		const file = path.join(paths.stateDir, 'server.json');
		t.is(readRecord(paths), undefined);
		fs.writeFileSync(file, JSON.stringify({pid: '12', start: '1', cookie: 'c', startedAt: 'now', logFile: 'x'}));
		const errors: Error[] = [];
		t.is(readRecord(paths, error => errors.push(error)), undefined);
		t.true(errors[0] instanceof InputError);
		t.is(errors[0]!.message, `${file}: pid: expected number, got "12"`);
		fs.writeFileSync(file, JSON.stringify({pid: 12, start: '1', cookie: 'c', startedAt: 'now', logFile: 'x'}));
		t.like(readRecord(paths), {pid: 12, cookie: 'c'});
		const unreadable = readJsonFile(serverRecordSchema, paths.stateDir);
		t.false(unreadable?.ok);
	} finally {
		project.cleanup();
	}
});

test('a pid file that does not parse names no orchestrator', t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'orchestrator.pid');
		for (const text of ['', 'abc\n', '-4 1\n', '0\n']) {
			fs.writeFileSync(file, text);
			t.is(readPid(file), undefined, JSON.stringify(text));
			t.is(runningOrchestrator(file), undefined, JSON.stringify(text));
		}

		fs.writeFileSync(file, `${process.pid}\n`);
		t.is(readPid(file), process.pid);
		t.is(runningOrchestrator(file), process.pid);
		fs.writeFileSync(file, `${process.pid} not-my-start-time\n`);
		t.is(runningOrchestrator(file), undefined);
	} finally {
		project.cleanup();
	}
});

test('an exit-status file is a number 0-255 and its newline, anything else (a write not finished) is not a status', t => {
	const project = makeProject();
	try {
		const file = path.join(project.root, 'status');
		t.is(readExitStatus(file), undefined);
		for (const [text, status] of [['3\n', 3], ['0\n', 0], ['0', undefined], ['', undefined], ['x\n', undefined], ['300\n', undefined], ['1.5\n', undefined]] as const) {
			fs.writeFileSync(file, text);
			t.is(readExitStatus(file), status, JSON.stringify(text));
		}
	} finally {
		project.cleanup();
	}
});
