import {performance} from 'node:perf_hooks';

/**
 * TUI render throttle: a burst of 1,000 events (each a stored message) against the real store and
 * orchestrator, counting the frames Ink writes, with React's production build as `runUi` uses it.
 */
export async function run(): Promise<Record<string, unknown>> {
	process.env.NODE_ENV ??= 'production';
	const {addMessage, makeWorld, renderUi} = await import('../test/ui/harness.js');
	const world = makeWorld();
	const ui = renderUi(world);
	try {
		await ui.waitForFrame(frame => frame.includes('1 agents'));
		const before = ui.frames.length;
		const started = performance.now();
		const cpuBefore = process.cpuUsage();
		for (let sent = 0; sent < 1000; sent++) {
			const id = addMessage(world, {from: 'bench', to: 'boss', subject: `burst ${sent + 1}`});
			world.orchestrator.emitEvent({type: 'message.received', id, from: 'bench', to: 'boss', subject: `burst ${sent + 1}`});
			if (sent % 5 === 4) {
				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}
		}

		const burstMs = performance.now() - started;
		await ui.waitForFrame(frame => frame.includes('burst 1000'));
		const totalMs = performance.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		const renders = ui.frames.length - before;
		const figures = {
			events: 1000,
			burstMs: Math.round(burstMs),
			untilLastShownMs: Math.round(totalMs),
			renders,
			rendersPerSecond: Number((renders / (totalMs / 1000)).toFixed(1)),
			cpuMs: Math.round((cpu.user + cpu.system) / 1000),
		};
		console.log('ui render throttle', figures);
		return figures;
	} finally {
		ui.unmount();
		world.cleanup();
	}
}
