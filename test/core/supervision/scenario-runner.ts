import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {AgentsService} from '../../../source/core/agents/service.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {HeartbeatService} from '../../../source/core/heartbeat/service.js';
import {nullLogger} from '../../../source/core/logger.js';
import {openProject} from '../../../source/core/project.js';
import {createOrchestrator} from '../../../source/core/run.js';
import {SupervisionService} from '../../../source/core/supervision/service.js';
import type {Transition} from '../../../source/core/supervision/machine.js';
import {killTmuxServer} from '../../helpers/tmux.js';
import type {Scenario} from './scenarios.js';

export interface ScenarioOutcome {
	name: string;
	expect: string;
	ok: boolean;
	/** The states the agent went through. */
	saw: string[];
	/** ms from the agent's start to the expected state (reach), when it came. */
	afterMs?: number;
	hookLatencies: number[];
	quietLatencies: number[];
	busyNudges: number;
	/** The orchestrator was restarted while this scenario ran (scenarios with `restart`). */
	restarted: boolean;
}

type FakeAgent = (name: string, kind: string, script: Array<Record<string, unknown>>, extra?: Record<string, unknown>) => Record<string, unknown>;

/**
 * Run `list` at once, each as one agent of one orchestrator on a private tmux server, and judge
 * each. Scenarios that restart the orchestrator run as a group of their own after the others (a
 * restart is felt by every agent of the orchestrator); outcomes come back in `list` order.
 */
export async function runScenarios(list: Scenario[], config: Record<string, unknown>, fakeAgent: FakeAgent): Promise<ScenarioOutcome[]> {
	const plain = list.filter(scenario => !scenario.restart);
	const restarting = list.filter(scenario => scenario.restart);
	const outcomes = new Map<Scenario, ScenarioOutcome>();
	for (const group of [plain, restarting]) {
		if (group.length > 0) {
			const results = await runGroup(group, config, fakeAgent);
			for (const [index, scenario] of group.entries()) {
				outcomes.set(scenario, results[index]!);
			}
		}
	}

	return list.map(scenario => outcomes.get(scenario)!);
}

async function runGroup(list: Scenario[], config: Record<string, unknown>, fakeAgent: FakeAgent): Promise<ScenarioOutcome[]> {
	const socket = `cmux-scen-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cmux-scen-')));
	fs.mkdirSync(path.join(root, '.cmux'), {mode: 0o700});
	const names = list.map((_, index) => `s${index}`);
	const agents = list.map((scenario, index) => fakeAgent(names[index]!, scenario.kind, scenario.script, scenario.extra));
	fs.writeFileSync(path.join(root, '.cmux', 'config.json'), JSON.stringify({session: 'scen', tmuxSocket: socket, healthPort: 0, agents, ...config}));
	const events: Array<CmuxEvent & {at: number}> = [];
	const hookLatencies = new Map<string, number[]>();
	const quietLatencies = new Map<string, number[]>();
	let supervision!: SupervisionService;
	const launch = () => {
		const created = createOrchestrator(openProject({project: root, env: {}}), {
			log: nullLogger,
			factories: [context => new AgentsService(context), context => new HeartbeatService(context), context => (supervision = new SupervisionService(context))],
		});
		created.orchestrator.on('event', event => events.push({...event, at: Date.now()}));
		supervision.board.listeners.push(latencies);
		return created;
	};

	const latencies = (transition: Transition) => {
		const now = Date.now();
		if (transition.source === 'hook') {
			hookLatencies.set(transition.agent, [...hookLatencies.get(transition.agent) ?? [], now - transition.since]);
		}

		if (transition.state === 'idle' && typeof transition.detail?.quietMs === 'number') {
			quietLatencies.set(transition.agent, [...quietLatencies.get(transition.agent) ?? [], transition.detail.quietMs]);
		}
	};

	let running = launch();
	try {
		await running.start();
		const startedAt = (name: string) => events.find(event => event.type === 'agent.started' && (event as {agent?: string}).agent === name)?.at;
		// The first restart asked for (timed from that agent's start): the orchestrator stops, stays
		// down `downMs` (the agents run on, their hooks go to the spool), and starts again.
		const restart = list.find(scenario => scenario.restart)?.restart;
		const restartAt = () => {
			const started = startedAt(names[list.findIndex(scenario => scenario.restart)]!);
			return started === undefined ? undefined : started + restart!.afterMs;
		};

		let restarted = restart === undefined;
		for (;;) {
			const now = Date.now();
			const due = restarted ? undefined : restartAt();
			if (due !== undefined && now >= due) {
				restarted = true;
				await running.shutdown('scenario restart');
				await new Promise(resolve => {
					setTimeout(resolve, restart!.downMs ?? 0);
				});
				running = launch();
				await running.start();
				continue;
			}

			const pending = list.some((scenario, index) => {
				const started = startedAt(names[index]!);
				return started === undefined ? now - events[0]!.at < 30_000 : now < started + scenario.deadlineMs + 300;
			});
			if (!pending) {
				break;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 200);
			});
		}

		return list.map((scenario, index) => ({...judge(scenario, names[index]!, events, startedAt(names[index]!), hookLatencies.get(names[index]!) ?? [], quietLatencies.get(names[index]!) ?? []),
			restarted: restart !== undefined && restarted}));
	} finally {
		await running.shutdown('scenarios');
		await killTmuxServer(socket);
		fs.rmSync(root, {recursive: true, force: true});
	}
}

function judge(scenario: Scenario, name: string, events: Array<CmuxEvent & {at: number}>, started: number | undefined, hooks: number[], quiet: number[]): Omit<ScenarioOutcome, 'restarted'> {
	const states = events.filter(event => event.type === 'agent.state' && (event as {agent?: string}).agent === name) as Array<CmuxEvent & {at: number; state: string}>;
	const saw = states.map(event => event.state);
	const outcome = {name: scenario.name, expect: scenario.expect, saw, hookLatencies: hooks, quietLatencies: quiet, busyNudges: busyNudges(events, name)};
	if (started === undefined) {
		return {...outcome, ok: false};
	}

	const deadline = started + scenario.deadlineMs;
	if (scenario.mode === 'reach') {
		const hit = states.find(event => event.state === scenario.expect && event.at <= deadline);
		return {...outcome, ok: hit !== undefined, ...(hit ? {afterMs: hit.at - started} : {})};
	}

	const last = states.filter(event => event.at <= deadline).at(-1);
	return {...outcome, ok: last?.state === scenario.expect};
}

/** Nudges delivered while the agent's last known state was neither idle nor done. */
function busyNudges(events: Array<CmuxEvent & {at: number}>, name: string): number {
	let state = 'starting';
	let count = 0;
	for (const event of events) {
		if ((event as {agent?: string}).agent !== name) {
			continue;
		}

		if (event.type === 'agent.state') {
			state = (event as {state: string} & CmuxEvent).state;
		} else if (event.type === 'agent.nudged' && state !== 'idle' && state !== 'done') {
			count++;
		}
	}

	return count;
}
