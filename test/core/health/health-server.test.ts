import net from 'node:net';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import {HealthServer} from '../../../source/core/health/health-server.js';
import {nullLogger} from '../../../source/core/logger.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {Store} from '../../../source/core/store/store.js';
import {ExecTmuxClient} from '../../../source/core/tmux/exec-client.js';
import {freePort} from '../../helpers/project.js';

async function startHealth(port = 0) {
	const store = Store.open(':memory:');
	const config = validateConfig({healthPort: port, agents: [{name: 'worker-1', command: 'sh'}]});
	let server!: HealthServer;
	const orchestrator = new Orchestrator({config, paths: resolvePaths('/tmp/none'), store, tmux: new ExecTmuxClient('unused'), log: nullLogger, factories: [context => (server = new HealthServer(context))]});
	store.setServiceState('orchestrator', 'healthy', {pid: process.pid});
	await orchestrator.start();
	const base = `http://127.0.0.1:${server.port}`;
	return {store, server, base, stop: async () => {
		await orchestrator.stop();
		store.close();
	}};
}

test('GET /health is 200 with every section when healthy', async t => {
	const health = await startHealth();
	const response = await fetch(`${health.base}/health`);
	t.is(response.status, 200);
	const body = await response.json() as Record<string, unknown>;
	t.is(body.status, 'healthy');
	for (const section of ['agents', 'server', 'frontend', 'mailbox', 'alerts']) {
		t.true(section in body, section);
	}

	await health.stop();
});

test('GET /health is 503 with the reason when a section is unhealthy', async t => {
	const health = await startHealth();
	health.store.setServiceState('server', 'unhealthy', {reason: 'health probe failed 3 times'});
	const response = await fetch(`${health.base}/health`);
	t.is(response.status, 503);
	t.like(await response.json(), {status: 'unhealthy', server: {status: 'unhealthy', reason: 'health probe failed 3 times'}});
	await health.stop();
});

test('GET /health is 503 degraded when a message is dead-lettered', async t => {
	const health = await startHealth();
	health.store.db.prepare("INSERT INTO messages (id, ts, from_addr, to_addr, subject, state) VALUES ('m1', 'now', 'a', 'b', 's', 'dead')").run();
	const response = await fetch(`${health.base}/health`);
	t.is(response.status, 503);
	t.like(await response.json(), {status: 'degraded', mailbox: {byState: {dead: 1}}});
	await health.stop();
});

test('GET /metrics is Prometheus text with cmux_ names', async t => {
	const health = await startHealth();
	const response = await fetch(`${health.base}/metrics`);
	t.is(response.status, 200);
	t.regex(response.headers.get('content-type') ?? '', /^text\/plain/);
	const text = await response.text();
	t.regex(text, /^# HELP cmux_up /m);
	t.regex(text, /^cmux_up 1$/m);
	t.regex(text, /^cmux_events_total\{type="orchestrator.started"\} 1$/m);
	for (const line of text.trim().split('\n')) {
		t.regex(line, /^(# (HELP|TYPE) cmux_\w+ .+|cmux_\w+(\{[^}]*\})? \d+)$/);
	}

	await health.stop();
});

test('POST /beat/NAME records a heartbeat for a known agent', async t => {
	const health = await startHealth();
	const response = await fetch(`${health.base}/beat/worker-1`, {method: 'POST'});
	t.is(response.status, 200);
	t.truthy(health.store.db.prepare("SELECT ts FROM heartbeats WHERE agent = 'worker-1'").get());
	await health.stop();
});

test('POST /beat/NAME is 404 for an unknown agent', async t => {
	const health = await startHealth();
	t.is((await fetch(`${health.base}/beat/nobody`, {method: 'POST'})).status, 404);
	t.is((await fetch(`${health.base}/beat/%E0%A4%A`, {method: 'POST'})).status, 404);
	await health.stop();
});

test('unknown paths are 404 and wrong methods 405', async t => {
	const health = await startHealth();
	t.is((await fetch(`${health.base}/`)).status, 404);
	t.is((await fetch(`${health.base}/admin`)).status, 404);
	const post = await fetch(`${health.base}/health`, {method: 'POST'});
	t.is(post.status, 405);
	t.is(post.headers.get('allow'), 'GET');
	t.is((await fetch(`${health.base}/health`, {method: 'HEAD'})).status, 405);
	t.is((await fetch(`${health.base}/beat/worker-1`)).status, 405);
	t.is((await fetch(`${health.base}/metrics`, {method: 'DELETE'})).status, 405);
	await health.stop();
});

test('a body over 64 KiB is 413', async t => {
	const health = await startHealth();
	const response = await fetch(`${health.base}/beat/worker-1`, {method: 'POST', body: 'x'.repeat(65 * 1024)});
	t.is(response.status, 413);
	t.falsy(health.store.db.prepare("SELECT ts FROM heartbeats WHERE agent = 'worker-1'").get());
	await health.stop();
});

test('a garbage request gets 400 and the server keeps serving', async t => {
	const health = await startHealth();
	const reply = await new Promise<string>(resolve => {
		const socket = net.connect(health.server.port!, '127.0.0.1', () => {
			socket.write('\u0000\u0001 not http at all\r\n\r\n');
		});
		let data = '';
		socket.on('data', chunk => {
			data += String(chunk);
		});
		socket.on('close', () => {
			resolve(data);
		});
	});
	t.regex(reply, /^HTTP\/1\.1 400/);
	t.is((await fetch(`${health.base}/health`)).status, 200);
	await health.stop();
});

test('a busy port is a clear error naming the port and what to change', async t => {
	const port = await freePort();
	const blocker = net.createServer().listen(port, '127.0.0.1');
	await new Promise(resolve => blocker.once('listening', resolve));
	const error = await t.throwsAsync(startHealth(port));
	t.regex(error.message, new RegExp(`health port 127\\.0\\.0\\.1:${port} is already in use; set "healthPort"`));
	blocker.close();
});

test('it binds 127.0.0.1 only', async t => {
	const health = await startHealth();
	t.like(health.server['server']?.address(), {address: '127.0.0.1'});
	await health.stop();
});
