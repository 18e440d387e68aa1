import fs from 'node:fs';
import path from 'node:path';
import {fakeAgent} from '../../test/core/supervision/harness.js';
import {fullConfig, percentile, startProduct} from './product.js';

/** One turn of each agent: a prompt, a second of work, a Stop hook, then idle until the next. */
const turnMs = 4000;

export interface HookLatency {
	agents: number;
	samples: number;
	/** From the spool write of `cmux-tui hook` to `agent.state` on the product's stdout. */
	spoolP50Ms: number;
	spoolP95Ms: number;
	/** From the moment the agent ran its hook command (node start-up of `cmux-tui hook` included). */
	hookP50Ms: number;
	hookP95Ms: number;
}

/**
 * Hook → state on the product as users run it: `agents` fake Claude Code agents on a separate
 * `cmux-tui run --no-ui --json` (every service on), each running `cycles` turns of `turnMs`, their
 * starts spread over a turn: every transition the hooks cause is a sample.
 */
export async function hookLatency(agents = 12, cycles = 4): Promise<HookLatency> {
	const turn = [{do: 'prompt', text: 'go'}, {do: 'work', ms: 1000}, {do: 'end', message: 'Done.'}, {do: 'sleep', ms: turnMs - 1000}];
	// Each agent starts its turns a little later than the one before, so the turns spread out as a
	// team's do. Every hook command boots node (about 120 ms of CPU here): 12 agents in step, or a
	// turn a second each, would load both cores with hook commands alone.
	const script = (index: number) => [{do: 'start'}, {do: 'sleep', ms: 1500 + Math.round(index * turnMs / agents)}, ...Array.from({length: cycles}, () => turn).flat()];
	const names = Array.from({length: agents}, (_, index) => `h${index}`);
	const product = await startProduct(await fullConfig({agents: names.map((name, index) => fakeAgent(name, 'claude', script(index)))}), {files: {'app.log': ''}});
	const states: Array<{agent: string; since: number; at: number}> = [];
	product.on(event => {
		if (event.type === 'agent.state' && event.source === 'hook') {
			states.push({agent: String(event.agent), since: Date.parse(String(event.since)), at: performance.timeOrigin + event.receivedAt});
		}
	});
	try {
		// SessionStart, then working and idle per turn.
		const expected = agents * (1 + (cycles * 2));
		const deadline = Date.now() + 60_000 + (cycles * turnMs);
		while (states.length < expected && Date.now() < deadline) {
			await new Promise(resolve => {
				setTimeout(resolve, 200);
			});
		}

		const spool = states.map(state => state.at - state.since);
		const invoked = states.flatMap(state => {
			const ran = hookTimes(product.root, state.agent).filter(ts => ts <= state.since).at(-1);
			return ran === undefined ? [] : [state.at - ran];
		});
		return {agents, samples: states.length, spoolP50Ms: percentile(spool, 50), spoolP95Ms: percentile(spool, 95), hookP50Ms: percentile(invoked, 50), hookP95Ms: percentile(invoked, 95)};
	} finally {
		await product.stop();
	}
}

/** When the fake agent ran each of its hook commands (its own log, in the project root). */
function hookTimes(root: string, agent: string): number[] {
	const file = path.join(root, `.fake-${agent}.log`);
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	return text.split('\n').filter(Boolean).map(line => JSON.parse(line) as {ts: number; event: string}).filter(entry => entry.event === 'hook').map(entry => entry.ts);
}
