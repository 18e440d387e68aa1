import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {AgentsService} from '../source/core/agents/service.js';
import {nullLogger} from '../source/core/logger.js';
import {openProject} from '../source/core/project.js';
import {createOrchestrator} from '../source/core/run.js';
import {SupervisionService} from '../source/core/supervision/service.js';
import {fakeAgent} from '../test/core/supervision/harness.js';
import {scenarioConfig, scenarios, type Scenario} from '../test/core/supervision/scenarios.js';
import {runScenarios} from '../test/core/supervision/scenario-runner.js';
import {deadlockAfterMs, runTaskScenarios} from './lib/task-scenarios.js';

// `npm run bench -- supervision`: the scenario suite (share classified right within each deadline),
// hook → state and quiet → idle latencies, nudges into busy panes, and the CPU cost of output
// tracking for 100 idle agents; then issue 11's task scenarios, each on a separate `cmux-tui run
// --no-ui --json` process driven with the real CLI (bench/lib/task-scenarios.ts).

const batch = Number(process.env.BENCH_SUPERVISION_BATCH ?? 12);

function percentile(values: number[], p: number): number | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function idleCost(count: number, seconds: number): Promise<{agents: number; seconds: number; cpuPercent: number}> {
	const socket = `cmux-bench-idle-${process.pid}`;
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-bench-')));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	const agents = Array.from({length: count}, (_, index) => ({name: `idle-${index}`, command: 'sleep 3600', restart: 'never'}));
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({session: 'bench', tmuxSocket: socket, healthPort: 0, agents}));
	const running = createOrchestrator(openProject({project: root, env: {}}), {log: nullLogger, factories: [context => new AgentsService(context), context => new SupervisionService(context)]});
	try {
		await running.start();
		// Let the starts settle (every agent's first pane check), then measure the idle loop.
		await new Promise(resolve => {
			setTimeout(resolve, 5000);
		});
		const before = process.cpuUsage();
		const started = Date.now();
		await new Promise(resolve => {
			setTimeout(resolve, seconds * 1000);
		});
		const used = process.cpuUsage(before);
		return {agents: count, seconds, cpuPercent: Number((((used.user + used.system) / 1000) / (Date.now() - started) * 100).toFixed(2))};
	} finally {
		await running.shutdown('bench');
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		fs.rmSync(root, {recursive: true, force: true});
	}
}

export async function run(): Promise<Record<string, unknown>> {
	const outcomes = [];
	for (let index = 0; index < scenarios.length; index += batch) {
		outcomes.push(...await runScenarios(scenarios.slice(index, index + batch), scenarioConfig, fakeAgent));
	}

	const right = outcomes.filter(outcome => outcome.ok);
	const hookLatency = outcomes.flatMap(outcome => outcome.hookLatencies);
	const quietLatency = outcomes.flatMap(outcome => outcome.quietLatencies);
	const taskOutcomes = await runTaskScenarios();
	const taskRight = taskOutcomes.filter(outcome => outcome.ok).length;
	const excess = taskOutcomes.flatMap(outcome => outcome.deadlockExcessMs === undefined ? [] : [outcome.deadlockExcessMs]);
	const idle = await idleCost(Number(process.env.BENCH_SUPERVISION_IDLE ?? 100), Number(process.env.BENCH_SUPERVISION_IDLE_SECONDS ?? 20));
	return {
		scenarios: outcomes.length,
		right: right.length,
		share: Number((right.length / outcomes.length).toFixed(3)),
		wrong: outcomes.filter(outcome => !outcome.ok).map(outcome => `${outcome.name}: expected ${outcome.expect}, saw ${outcome.saw.join(' → ') || 'nothing'}`),
		hookToStateMs: {p50: percentile(hookLatency, 50), p95: percentile(hookLatency, 95), count: hookLatency.length, note: 'from the hook\'s write to the spool to agent.state (node start-up of the hook command itself not included)'},
		quietToIdleMs: {p50: percentile(quietLatency, 50), p95: percentile(quietLatency, 95), count: quietLatency.length, target: `debounce ${1500} + 200`},
		nudgesIntoBusyPanes: outcomes.reduce((sum, outcome) => sum + outcome.busyNudges, 0),
		taskScenarios: {
			count: taskOutcomes.length,
			right: taskRight,
			share: Number((taskRight / taskOutcomes.length).toFixed(3)),
			completedThenMarkedFailed: taskOutcomes.reduce((sum, outcome) => sum + outcome.doneThenMoved, 0),
			deadlockReportedAfterDeadlockAfterMs: {values: excess, max: excess.length > 0 ? Math.max(...excess) : null, target: `≤ 1000 (deadlockAfter ${deadlockAfterMs} ms + 1 s)`},
			outcomes: taskOutcomes.map(outcome => `${outcome.ok ? 'ok' : 'WRONG'} ${outcome.name}: ${outcome.detail}`),
			note: 'each on its own cmux-tui run --no-ui --json process, driven with the real CLI, the mailbox file and fake agents on real tmux',
		},
		allScenarios: {count: outcomes.length + taskOutcomes.length, right: right.length + taskRight, share: Number(((right.length + taskRight) / (outcomes.length + taskOutcomes.length)).toFixed(3))},
		idleOutputTracking: idle,
	};
}

export type {Scenario};
