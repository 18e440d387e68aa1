import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadConfig, validateConfig} from '../../../source/core/config/load.js';
import {ConfigError} from '../../../source/core/errors.js';
import {repoRoot} from '../../helpers/paths.js';

function errorOf(raw: unknown): ConfigError {
	const error = (() => {
		try {
			validateConfig(raw);
		} catch (error) {
			return error;
		}

		return undefined;
	})();
	if (!(error instanceof ConfigError)) {
		throw new Error(`expected a ConfigError for ${JSON.stringify(raw)}`);
	}

	return error;
}

test('an empty object gets every default', t => {
	const config = validateConfig({});
	t.is(config.session, 'cmux');
	t.is(config.healthPort, 7770);
	t.is(config.healthHost, '127.0.0.1');
	t.is(config.alerts.cooldown, 300_000);
	t.is(config.mailbox.maxAttempts, 10);
	t.false(config.rollback.enabled);
	t.deepEqual(config.agents, []);
});

test('agent defaults and durations are resolved to milliseconds', t => {
	const config = validateConfig({agents: [{name: 'w', command: 'sh', heartbeatTimeout: '2m'}]});
	t.like(config.agents[0], {type: 'worker', restart: 'on-failure', heartbeatTimeout: 120_000, stopTimeout: 5000, env: {}});
});

test('a wrong type names the key path, the expectation and the value found', t => {
	t.is(errorOf({agents: [{name: 'a', command: 'x'}, {name: 'b', command: 42}]}).message, 'agents[1].command: expected a non-empty string, got 42');
	t.is(errorOf({agents: [{name: 'a', command: 'x'}, {name: 'b', command: 42}]}).exitCode, 2);
});

test('a missing required key says it found nothing', t => {
	t.is(errorOf({agents: [{name: 'a'}]}).message, 'agents[0].command: expected a non-empty string, got nothing');
});

test('an unknown key is refused with its path', t => {
	t.regex(errorOf({server: {command: 'x', prot: 1}}).message, /^server\.prot: unknown key/);
	t.regex(errorOf({sesion: 'x'}).message, /^sesion: unknown key/);
});

test('a bad duration is refused', t => {
	t.is(errorOf({alerts: {cooldown: 'soon'}}).message, 'alerts.cooldown: expected a duration like "5s" or "2m", got "soon"');
});

test('a bad enum value lists the allowed values', t => {
	t.is(errorOf({agents: [{name: 'a', command: 'x', restart: 'sometimes'}]}).message, 'agents[0].restart: expected one of "never", "on-failure", "always", got "sometimes"');
});

test('an invalid regular expression is refused', t => {
	t.is(errorOf({logs: [{path: 'a.log', patterns: ['(']}]}).message, 'logs[0].patterns[0]: expected a valid regular expression, got "("');
});

test('a port out of range is refused', t => {
	t.is(errorOf({healthPort: 70_000}).message, 'healthPort: expected a port number 0-65535, got 70000');
});

test('two agents with one name are refused', t => {
	t.is(errorOf({agents: [{name: 'a', command: 'x'}, {name: 'a', command: 'y'}]}).message, 'agents[1].name: expected a name no other agent has, got "a"');
});

test('a top level that is not an object is refused', t => {
	t.regex(errorOf([]).message, /expected a JSON object, got \[\]/);
});

function withFile(content: string, run: (file: string) => void): void {
	const dir = fs.mkdtempSync(path.join(repoRoot, 'build', 'cfg-'));
	try {
		const file = path.join(dir, 'config.json');
		fs.writeFileSync(file, content);
		run(file);
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

test('a file that is not JSON names the file', t => {
	withFile('{"session": ', file => {
		const error = t.throws(() => loadConfig(file, {}), {instanceOf: ConfigError});
		t.true(error.message.startsWith(`${file} is not valid JSON`));
	});
});

test('a missing file means all defaults', t => {
	t.is(loadConfig('/nonexistent/config.json', {}).session, 'cmux');
});

test('environment overrides win over the file', t => {
	withFile(JSON.stringify({session: 'file', healthPort: 1234, server: {command: 'x', port: 1}}), file => {
		const config = loadConfig(file, {CMUX_SESSION: 'env', CMUX_HEALTH_PORT: '0', CMUX_PORT: '8080', CMUX_MAILBOX: 'box', CMUX_ALERT_COOLDOWN: '10s', CMUX_ALERT_WEBHOOK: 'http://127.0.0.1:9/h', CMUX_HEARTBEAT_TIMEOUT: '1m', CMUX_TMUX_SOCKET: 'sock'});
		t.is(config.session, 'env');
		t.is(config.healthPort, 0);
		t.is(config.server?.port, 8080);
		t.is(config.mailbox.path, 'box');
		t.is(config.alerts.cooldown, 10_000);
		t.is(config.alerts.webhook, 'http://127.0.0.1:9/h');
		t.is(config.heartbeat.timeout, 60_000);
		t.is(config.tmuxSocket, 'sock');
	});
});

test('a bad environment override names the variable', t => {
	const error = t.throws(() => loadConfig('/nonexistent/config.json', {CMUX_HEALTH_PORT: 'abc'}), {instanceOf: ConfigError});
	t.is(error.message, 'CMUX_HEALTH_PORT: expected a port number 0-65535, got "abc"');
});

test('the example config is valid and the schema file matches the generator', async t => {
	const example = JSON.parse(fs.readFileSync(path.join(repoRoot, '.cmux.example', 'config.json'), 'utf8')) as unknown;
	t.notThrows(() => validateConfig(example));
	const {renderJsonSchema} = await import('../../../source/core/config/json-schema.js');
	t.is(fs.readFileSync(path.join(repoRoot, '.cmux.example', 'config.schema.json'), 'utf8'), renderJsonSchema(), 'run `npm run schema` after changing the config schema');
});

test('the demo project config is valid', t => {
	const demo = JSON.parse(fs.readFileSync(path.join(repoRoot, 'fixtures', 'demo-project', '.cmux', 'config.json'), 'utf8')) as unknown;
	t.notThrows(() => validateConfig(demo));
});

test('CMUX_PORT without a server section is ignored rather than inventing one', t => {
	t.is(loadConfig('/nonexistent/config.json', {CMUX_PORT: '8080'}).server, undefined);
});
