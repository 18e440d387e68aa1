import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {cmuxAgentEnv} from '../../../source/core/compat/agent-env.js';
import {loadConfig, validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';

function configFile(config: Record<string, unknown>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-test-env-'));
	const file = path.join(dir, 'config.json');
	fs.writeFileSync(file, JSON.stringify(config));
	return file;
}

test('an agent gets cmux environment with CMUX_PORT on the health port', t => {
	const config = validateConfig({session: 'proj', healthPort: 7771});
	const env = cmuxAgentEnv({config, paths: resolvePaths('/p'), name: 'w1', type: 'worker', agentId: 'ag_abcdefgh'});
	t.deepEqual(env, {CMUX_AGENT: 'true', CMUX_AGENT_ID: 'ag_abcdefgh', CMUX_AGENT_NAME: 'w1', CMUX_AGENT_ROLE: 'worker', CMUX_SESSION: 'proj', CMUX_HOME: '/p', CMUX_MAILBOX: '/p/.cmux/mailbox', CMUX_PORT: '7771'});
	t.false('CMUX_PORT' in cmuxAgentEnv({config: validateConfig({healthPort: 0}), paths: resolvePaths('/p'), name: 'boss', type: 'supervisor', agentId: 'ag_0000prim'}));
});

test('inside a cmux-tui agent CMUX_PORT is the api port, not the dev server port', t => {
	const file = configFile({server: {command: 'npm run dev', port: 3000}});
	t.is(loadConfig(file, {CMUX_PORT: '4000'}).server?.port, 4000);
	t.is(loadConfig(file, {CMUX_PORT: '7770', CMUX_AGENT: 'true', CMUX_COOKIE: 'cmux:x:w1:1'}).server?.port, 3000);
	fs.rmSync(path.dirname(file), {recursive: true, force: true});
});
