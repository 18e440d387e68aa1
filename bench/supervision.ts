import {execa} from 'execa';
import {fakeAgent} from '../test/core/supervision/harness.js';
import {scenarioConfig, scenarios, type Scenario} from '../test/core/supervision/scenarios.js';
import {runScenarios} from '../test/core/supervision/scenario-runner.js';
import {hookLatency} from './lib/hook-latency.js';
import {compare, type BenchResult} from './lib/report.js';
import {deadlockAfterMs, runTaskScenarios} from './lib/task-scenarios.js';

// `npm run bench -- supervision`: the scenario suite (share classified right within each deadline,
// quiet → idle latency, nudges into busy panes), hook → state on a separate `cmux-tui run --no-ui
// --json` process with 12 fake Claude Code agents (bench/lib/hook-latency.ts), then issue 11's task
// scenarios, each on a separate product process driven with the real CLI (bench/lib/task-scenarios.ts).
// The idle cost of output tracking is the agents bench's idle figure (every service on).

const batch = Number(process.env.BENCH_SUPERVISION_BATCH ?? 12);

function percentile(values: number[], p: number): number | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `node -e 0` wall time, median of 7: the start-up every hook command pays before it runs. */
async function nodeStartMs(): Promise<number> {
	const times: number[] = [];
	for (let index = 0; index < 7; index++) {
		const started = performance.now();
		await execa(process.execPath, ['-e', '0']);
		times.push(performance.now() - started);
	}

	return Math.round(percentile(times, 50)!);
}

export async function run(): Promise<BenchResult> {
	const outcomes = [];
	for (let index = 0; index < scenarios.length; index += batch) {
		outcomes.push(...await runScenarios(scenarios.slice(index, index + batch), scenarioConfig, fakeAgent));
	}

	const right = outcomes.filter(outcome => outcome.ok);
	const quietLatency = outcomes.flatMap(outcome => outcome.quietLatencies);
	const busyNudges = outcomes.reduce((sum, outcome) => sum + outcome.busyNudges, 0);
	const taskOutcomes = await runTaskScenarios();
	const taskRight = taskOutcomes.filter(outcome => outcome.ok).length;
	const excess = taskOutcomes.flatMap(outcome => outcome.deadlockExcessMs === undefined ? [] : [outcome.deadlockExcessMs]);
	const hooks = await hookLatency(Number(process.env.BENCH_SUPERVISION_HOOK_AGENTS ?? 12));
	const nodeStart = await nodeStartMs();
	const percent = (count: number, of: number) => Math.round(count / of * 1000) / 10;
	return {
		title: 'Supervision: classification, hook latency, nudges, tasks',
		command: 'npm run bench -- supervision',
		figures: [
			compare({name: `scenarios classified right within their deadline (${outcomes.length})`, target: '100 %', value: percent(right.length, outcomes.length), unit: '%',
				note: 'the scenario suite of test/core/supervision/scenarios.ts, 12 at a time on one orchestrator in the bench\'s process'}, {higherIsBetter: true, meets: value => value === 100}),
			compare({name: `hook → agent.state p95, ${hooks.agents} Claude Code agents, a turn every 4 s each, separate cmux-tui process`, target: '≤ 50 ms', value: hooks.spoolP95Ms, unit: 'ms',
				note: `${hooks.samples} transitions; from the hook's spool write to the event on the product's stdout`}, {higherIsBetter: false, meets: value => value <= 50}),
			compare({name: 'hook → agent.state p50', target: '', value: hooks.spoolP50Ms, unit: 'ms'}, {higherIsBetter: false}),
			compare({name: 'hook command run by the agent → agent.state p95 (node start-up included)', target: '', value: hooks.hookP95Ms, unit: 'ms',
				note: `p50 ${hooks.hookP50Ms} ms; \`node -e 0\` alone takes ${nodeStart} ms here`}, {higherIsBetter: false}),
			compare({name: 'output goes quiet → idle p95', target: '≤ 1700 ms (debounce 1500 + 200)', value: percentile(quietLatency, 95) ?? 0, unit: 'ms', note: `p50 ${percentile(quietLatency, 50)} ms; the scenario suite, in the bench's process`},
				{higherIsBetter: false, meets: value => value <= 1700}),
			compare({name: 'nudges typed into a busy pane', target: '0', value: busyNudges, unit: '', note: 'the scenario suite, in the bench\'s process'}, {higherIsBetter: false, meets: value => value === 0}),
			compare({name: `task scenarios right (${taskOutcomes.length})`, target: '100 %', value: percent(taskRight, taskOutcomes.length), unit: '%',
				note: 'each on its own cmux-tui run --no-ui --json process, driven with the real CLI, the mailbox file and fake agents on real tmux'}, {higherIsBetter: true, meets: value => value === 100}),
			compare({name: 'deadlock reported after deadlockAfter, worst', target: '≤ 1000 ms', value: excess.length > 0 ? Math.max(...excess) : 0, unit: 'ms', note: `${deadlockAfterMs} ms deadlockAfter; each: ${excess.join(', ')} ms`},
				{higherIsBetter: false, meets: value => value <= 1000}),
		],
		details: {
			wrong: outcomes.filter(outcome => !outcome.ok).map(outcome => `${outcome.name}: expected ${outcome.expect}, saw ${outcome.saw.join(' → ') || 'nothing'}`),
			hooks,
			tasks: taskOutcomes.map(outcome => `${outcome.ok ? 'ok' : 'WRONG'} ${outcome.name}: ${outcome.detail}`),
			completedThenMarkedFailed: taskOutcomes.reduce((sum, outcome) => sum + outcome.doneThenMoved, 0),
			idle: 'the CPU of 100 idle agents with output tracking is the agents bench\'s "orchestrator CPU, 100 idle agents, every service on"',
		},
	};
}

export type {Scenario};
