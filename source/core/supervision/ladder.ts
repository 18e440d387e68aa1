import {errorText} from '../errors.js';
import type {ServiceContext} from '../orchestrator.js';
import {actionsSince, recordAction} from './activity-store.js';
import {answerApproval, nudgeAgent} from './actions.js';
import type {ActivityBoard} from './board.js';
import {Escalation} from './escalation.js';
import type {PaneChecker} from './pane-check.js';
import {recoveryMessage} from './recovery-message.js';
import type {HookVerdict} from './signals/hook-map.js';

interface Episode {
	/** What the episode is about (its start), so each is handled once. */
	key: string;
	nudges: number;
	lastStep: number;
	escalated: boolean;
}

/**
 * The nudge ladder and the other automatic reactions, reviewed once a second: an agent silent past
 * its heartbeatTimeout while it has work, or idle with undelivered mail, is nudged every
 * nudgeInterval (only into an idle prompt) up to maxNudges times, then escalated; an approval wait
 * past approvalTimeout is escalated; maxRuntime is enforced; a silent supervisor is restarted and
 * told what it missed. Every automatic action is within the budgets; `mode: observe` records what
 * it would do instead of doing it.
 */
export class Ladder {
	readonly escalation: Escalation;
	private readonly episodes = new Map<string, Episode>();
	private readonly once = new Set<string>();
	private readonly busy = new Set<string>();
	private readonly restartedSupervisors = new Set<string>();

	constructor(private readonly context: ServiceContext, private readonly board: ActivityBoard, private readonly checker: PaneChecker) {
		this.escalation = new Escalation(context);
	}

	private get observe(): boolean {
		return this.context.config.supervision.mode === 'observe';
	}

	/** A hook arrived: an approval wait may be on the allow-list. */
	hook(agent: string, verdict: HookVerdict): void {
		if (verdict.state === 'waiting_approval' && this.context.config.supervision.autoApprove.length > 0) {
			void this.run(agent, async () => this.autoApprove(agent, verdict));
		}
	}

	/** The agent's process ended; a supervisor that is started again gets a recovery message. */
	exited(agent: string, _clean: boolean): void {
		if (this.escalation.supervisors().includes(agent)) {
			this.restartedSupervisors.add(agent);
		}
	}

	/** An agent started: a supervisor coming back after an exit is told where things stand. */
	started(agent: string): void {
		if (this.restartedSupervisors.delete(agent)) {
			void this.run(agent, async () => {
				await recoveryMessage(this.context, agent);
			});
		}
	}

	/** Forget an agent's episodes (recover reset). */
	forget(agent: string): void {
		this.episodes.delete(agent);
		for (const key of this.once) {
			if (key.includes(`:${agent}:`)) {
				this.once.delete(key);
			}
		}
	}

	review(now: number): void {
		const {config, store} = this.context;
		const s = config.supervision;
		const mailByAgent = pendingMail(store, config.session);
		for (const machine of this.board.machines.values()) {
			const agent = machine.agent;
			const {state, since} = machine.current;
			const agentConfig = this.checker.agentConfig(agent);
			if (state === 'exited' || this.busy.has(agent)) {
				continue;
			}

			// An approval wait past approvalTimeout: escalated once per wait.
			if (state === 'waiting_approval' && now - since >= s.approvalTimeout) {
				this.first(`approval:${agent}:${since}`, () => this.escalation.escalate(agent, 'approval-timeout', {state, since: new Date(since).toISOString()}));
			}

			// maxRuntime: escalate, then stop when configured.
			const started = agentConfig?.maxRuntime === undefined ? undefined : startedAt(store, agent);
			if (agentConfig?.maxRuntime !== undefined && started !== undefined && now - started >= agentConfig.maxRuntime) {
				this.first(`runtime:${agent}:${started}`, async () => {
					await this.escalation.escalate(agent, 'max-runtime', {state, runtimeMs: now - started});
					if (s.maxRuntimeAction === 'stop') {
						await this.act(agent, 'stop', async () => this.context.api.call('agents.kill', {name: agent, force: false}));
					}
				});
			}

			const timeout = agentConfig?.heartbeatTimeout ?? config.heartbeat.timeout;
			const silentMs = now - machine.lastSignOfLife;
			const mail = mailByAgent.get(agent) ?? {count: 0};
			const hasWork = state === 'working' || state === 'stalled' || state === 'starting' || mail.count > 0;
			const silent = silentMs >= timeout && hasWork;
			const idleWithMail = (state === 'idle' || state === 'done') && mail.count > 0 && mail.oldest !== undefined && now - mail.oldest >= s.nudgeInterval;
			if (!silent && !idleWithMail) {
				this.episodes.delete(agent);
				continue;
			}

			const key = silent ? `silent:${machine.lastSignOfLife}` : `mail:${mail.oldest}`;
			if (silent) {
				this.first(`missed:${agent}:${key}`, async () => {
					this.context.emit({type: 'agent.heartbeat_missed', agent, silentMs, timeoutMs: timeout, state});
				});
			}

			this.step(agent, key, now, state);
		}
	}

	stop(): void {
		this.escalation.stop();
	}

	/** One rung: a nudge every nudgeInterval while nudges are left, then one escalation (a supervisor is restarted first). */
	private step(agent: string, key: string, now: number, state: string): void {
		const s = this.context.config.supervision;
		let episode = this.episodes.get(agent);
		if (!episode || episode.key !== key) {
			episode = {key, nudges: 0, lastStep: Number.NEGATIVE_INFINITY, escalated: false};
			this.episodes.set(agent, episode);
		}

		if (now - episode.lastStep < s.nudgeInterval || episode.escalated) {
			return;
		}

		episode.lastStep = now;
		if (episode.nudges < s.maxNudges) {
			const attempt = ++episode.nudges;
			void this.run(agent, async () => this.act(agent, 'nudge', async () => nudgeAgent(this.context, agent, {manual: false, attempt}), {attempt}));
			return;
		}

		episode.escalated = true;
		void this.run(agent, async () => {
			if (this.escalation.supervisors().includes(agent) && state !== 'waiting_approval') {
				await this.restartSupervisor(agent);
			} else {
				await this.escalation.escalate(agent, 'unresponsive', {state, nudges: episode.nudges});
			}
		});
	}

	private async restartSupervisor(agent: string): Promise<void> {
		const allowed = this.escalation.allowed(agent, this.context.clock.now());
		const restarts = {n: actionsSince(this.context.store, new Date(this.context.clock.now() - 3_600_000).toISOString(), {agent, actions: ['restart'], limit: 100}).length};
		if (restarts.n >= this.context.config.supervision.supervisorRestarts || !allowed.ok) {
			await this.escalation.escalate(agent, 'restart-loop', {restarts: restarts.n, ...(allowed.ok ? {} : {why: allowed.why})}, {everyChannel: true});
			return;
		}

		await this.escalation.escalate(agent, 'supervisor-unresponsive', {restarting: !this.observe});
		this.restartedSupervisors.add(agent);
		await this.act(agent, 'restart', async () => this.context.api.call('agents.restart', {name: agent}));
	}

	private async autoApprove(agent: string, verdict: HookVerdict): Promise<void> {
		const screen = await this.checker.screen(agent).catch((error: unknown) => {
			// Without the screen only the tool name is matched: fewer rules can match, never more.
			this.context.log.log('debug', `supervision: reading ${agent}'s screen for auto-approve: ${errorText(error)}`);
			return '';
		});
		const subject = `${String(verdict.detail.tool_name ?? '')}\n${screen}`;
		const rule = this.context.config.supervision.autoApprove.find(pattern => new RegExp(pattern, 'mu').test(subject));
		if (rule) {
			await this.act(agent, 'approve', async () => answerApproval(this.context, agent, 'approve', {manual: false, reason: `allow-list ${rule}`}), {rule});
		}
	}

	/** Do an automatic action within the budgets, or record why not; in observe mode only record it. */
	private async act(agent: string, action: string, effect: () => Promise<unknown>, detail: Record<string, unknown> = {}): Promise<void> {
		const {context} = this;
		if (this.observe) {
			recordAction(context.store, {agent, action, outcome: 'observed', detail});
			context.log.log('info', `supervision (observe): would ${action} ${agent}`);
			return;
		}

		const allowed = this.escalation.allowed(agent, context.clock.now());
		if (!allowed.ok) {
			recordAction(context.store, {agent, action, outcome: 'refused', detail: {...detail, why: allowed.why}});
			this.first(`budget:${agent}:${allowed.why}`, () => this.escalation.escalate(agent, 'recovery-budget', {why: allowed.why}));
			return;
		}

		try {
			await effect();
			if (action !== 'nudge' && action !== 'approve') {
				recordAction(context.store, {agent, action, outcome: 'ok', detail});
			}
		} catch (error) {
			recordAction(context.store, {agent, action, outcome: 'failed', detail: {...detail, error: errorText(error)}});
			context.log.log('warn', `supervision: ${action} ${agent} failed: ${errorText(error)}`);
		}
	}

	/** Run `effect` once per `key` for the life of the service. */
	private first(key: string, effect: () => Promise<void>): void {
		if (this.once.has(key)) {
			return;
		}

		this.once.add(key);
		effect().catch((error: unknown) => {
			this.context.log.log('warn', `supervision: ${errorText(error)}`);
		});
	}

	/** One effect at a time per agent. */
	private async run(agent: string, effect: () => Promise<void>): Promise<void> {
		this.busy.add(agent);
		try {
			await effect();
		} catch (error) {
			this.context.log.log('warn', `supervision of ${agent}: ${errorText(error)}`);
		} finally {
			this.busy.delete(agent);
		}
	}
}

function startedAt(store: ServiceContext['store'], agent: string): number | undefined {
	const row = store.supervision.startedAt(agent);
	return row?.startedAt && ['running', 'idle', 'busy', 'starting'].includes(row.state) ? Date.parse(row.startedAt) : undefined;
}

/** Undelivered mail per agent name, `NAME` and `session:NAME` counted together: how many, and the oldest's time. */
function pendingMail(store: ServiceContext['store'], session: string): Map<string, {count: number; oldest?: number}> {
	const byAgent = new Map<string, {count: number; oldest?: number}>();
	for (const row of store.supervision.pendingMail()) {
		const agent = row.to.startsWith(`${session}:`) ? row.to.slice(session.length + 1) : row.to;
		const seen = byAgent.get(agent);
		const oldest = Date.parse(row.oldest);
		byAgent.set(agent, {count: (seen?.count ?? 0) + row.count, oldest: Math.min(seen?.oldest ?? oldest, oldest)});
	}

	return byAgent;
}
