import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {nullLogger} from '../../../source/core/logger.js';
import {OutputTracker} from '../../../source/core/supervision/signals/output-tracker.js';
import {ControlTmuxClient} from '../../../source/core/tmux/control-client.js';
import {controlClients, controlClientsAttached, privateTmux} from '../../helpers/tmux.js';
import {waitFor} from '../../helpers/wait.js';

test.serial('the output tracker connects only once before() resolves, tries again after a refusal, and hears pane output', async t => {
	const server = privateTmux('trk');
	const main = new ControlTmuxClient({socket: server.socket, session: 'trk'});
	let calls = 0;
	let release: () => void = () => {};
	const gate = new Promise<void>(resolve => {
		release = resolve;
	});
	const seen = new Set<string>();
	const tracker = new OutputTracker({
		socket: server.socket, session: 'trk', log: nullLogger, backoff: {min: 20, max: 50},
		onOutput(pane) {
			seen.add(pane);
		},
		async before() {
			calls++;
			if (calls === 1) {
				throw new Error('the control connection is not up');
			}

			await gate;
		},
	});
	try {
		await main.connect();
		tracker.start();
		tracker.start();
		await waitFor(() => calls >= 2, {what: 'a second try after the refusal'});
		await sleep(300);
		t.is(calls, 2);
		t.is(await controlClients(server, 'trk'), 1);
		release();
		await controlClientsAttached(server, 'trk', 2);
		const [pane] = await main.run(['new-window', '-d', '-P', '-F', '#{pane_id}', 'echo hello; sleep 5']);
		await waitFor(() => seen.has(pane!), {what: `output of ${pane}`});
		t.pass();
	} finally {
		await tracker.stop();
		await main.close();
		await server.kill();
	}
});
