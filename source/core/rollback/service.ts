import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {errorText} from '../errors.js';
import type {CmuxEvent} from '../events.js';
import {readJsonFile} from '../input.js';
import {appendJournal} from '../journal/journal.js';
import {appendMessage} from '../mailbox/append.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {gitMaybe} from './git.js';
import {rollback} from './rollback.js';

/** `.cmux/rollback.json`: the last known-good commit and when it was recorded. */
const goodRecordSchema = z.object({good: z.string().regex(/^[0-9a-f]{7,64}$/, 'expected a commit id'), ts: z.string().optional()});

/**
 * Opt-in (`rollback.enabled`). Records HEAD as last known good whenever server and frontend are
 * healthy; when the server gives up restarting (and the frontend is not the cause), rolls back to
 * it and verifies health over `verifyWindow`. State in `.cmux/rollback.json`.
 */
export class RollbackService implements Service {
	readonly name = 'rollback';
	private timer?: NodeJS.Timeout;
	private running?: Promise<void>;
	private candidate?: {head: string; since: number};
	private recording?: Promise<void>;
	private stopped = false;
	private readonly onEvent = (event: CmuxEvent) => {
		if (event.type === 'server.unhealthy' && event.gaveUp && !this.running) {
			this.running = this.run().finally(() => {
				this.running = undefined;
			});
		}
	};

	constructor(private readonly context: ServiceContext, private readonly recordEvery = 5000) {}

	get file(): string {
		return path.join(this.context.paths.stateDir, 'rollback.json');
	}

	/** The last known-good commit, when one was recorded. */
	lastGood(): string | undefined {
		const read = readJsonFile(goodRecordSchema, this.file);
		if (read && !read.ok) {
			// Rolling back to a commit we cannot read would act on a guess: there is no known-good commit.
			this.context.log.log('warn', `ignoring the rollback record: ${read.error.message}`);
		}

		return read?.ok ? read.value.good : undefined;
	}

	async start(): Promise<void> {
		this.context.orchestrator.on('event', this.onEvent);
		const tick = () => {
			this.timer = setTimeout(() => {
				this.recording = this.recordGood().finally(() => {
					if (!this.stopped) {
						tick();
					}
				});
			}, this.recordEvery);
			this.timer.unref();
		};

		await this.recordGood();
		tick();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.context.orchestrator.off('event', this.onEvent);
		clearTimeout(this.timer);
		// The store closes after services stop: let a record in flight finish first.
		await Promise.all([this.recording, this.running]);
	}

	private greenNow(): boolean {
		const server = this.context.store.serviceState('server');
		const frontend = this.context.store.serviceState('frontend');
		return server?.status === 'healthy' && (!frontend || frontend.status === 'healthy');
	}

	private async recordGood(): Promise<void> {
		if (this.running || !this.greenNow()) {
			this.candidate = undefined;
			return;
		}

		const head = await gitMaybe(this.context.paths.root, ['rev-parse', 'HEAD'], this.context.config.rollback.gitTimeout);
		if (!head || this.stopped || !this.greenNow()) {
			this.candidate = undefined;
			return;
		}

		// A commit is good only once it stayed green for a whole verify window: a fresh commit is
		// healthy for a few probes before its failures add up.
		if (this.candidate?.head !== head) {
			this.candidate = {head, since: Date.now()};
		}

		if (head !== this.lastGood() && Date.now() - this.candidate.since >= this.context.config.rollback.verifyWindow) {
			fs.writeFileSync(this.file, `${JSON.stringify({good: head, ts: new Date().toISOString()})}\n`, {mode: 0o600});
		}
	}

	private async run(): Promise<void> {
		const {context} = this;
		const frontend = context.store.serviceState('frontend');
		const good = this.lastGood();
		if (frontend?.status === 'unhealthy' || !good) {
			context.log.log('warn', frontend?.status === 'unhealthy' ? 'no rollback: the frontend is unhealthy, so the code may not be the cause' : 'no rollback: no known-good commit recorded yet');
			return;
		}

		context.emit({type: 'rollback.started', to: good});
		try {
			const result = await rollback({
				cwd: context.paths.root,
				good,
				gitTimeout: context.config.rollback.gitTimeout,
				async rebuildAndRestart() {
					if (context.api.has('frontend.rebuild')) {
						await context.api.call('frontend.rebuild', {});
					}

					await context.api.call('server.restart', {});
				},
				verify: async () => this.verify(),
			});
			if (result.ok) {
				context.emit({type: 'rollback.verified', from: result.from, to: result.to, branch: result.branch, ...(result.stash ? {stash: result.stash} : {})});
				appendJournal(context.paths.journalDir, {title: 'Rolled back', body: `Rolled back from ${result.from.slice(0, 12)} to ${good.slice(0, 12)}; your work is in branch ${result.branch}${result.stash ? ` and \`git stash list\` (${result.stash.slice(0, 12)})` : ''}.`});
				return;
			}

			await this.failed(result.reason ?? 'unknown', {from: result.from, branch: result.branch, restored: result.restored, ...(result.stash ? {stash: result.stash} : {})});
		} catch (error) {
			await this.failed(errorText(error), {});
		}
	}

	/** Healthy for the whole window: any unhealthy server state (or a server that is off) fails it. */
	private async verify(): Promise<{ok: boolean; reason?: string}> {
		const deadline = Date.now() + this.context.config.rollback.verifyWindow;
		while (Date.now() < deadline) {
			const state = this.context.store.serviceState('server');
			if (state?.status === 'unhealthy' || state?.status === 'off') {
				return {ok: false, reason: typeof state.detail.reason === 'string' ? state.detail.reason : `server is ${state.status}`};
			}

			await new Promise(resolve => {
				setTimeout(resolve, 200);
			});
		}

		const state = this.context.store.serviceState('server');
		return state?.status === 'healthy' ? {ok: true} : {ok: false, reason: `server is ${state?.status ?? 'unknown'} at the end of the window`};
	}

	private async failed(reason: string, fields: Record<string, unknown>): Promise<void> {
		const {context} = this;
		context.emit({type: 'rollback.failed', reason, ...fields});
		appendJournal(context.paths.journalDir, {title: 'Rollback failed', body: reason});
		await appendMessage(context.paths.mailboxFile, {from: 'system:rollback', to: 'user', subject: `rollback failed: ${reason}`}, {lockFile: context.config.mailbox.lockFile}).catch((error: unknown) => {
			context.log.log('error', `cannot send the rollback alert: ${errorText(error)}`);
		});
	}
}
