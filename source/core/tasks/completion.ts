import {appendMessage} from '../mailbox/append.js';
import type {TaskRow} from '../store/tasks.js';
import {findTask, moveTask, stateOf, workDir, type TaskContext} from './book.js';
import {gatherEvidence, type Evidence} from './evidence.js';
import {canMove, checkMove} from './machine.js';

/** How a claim reached us (carried as `method` by `task.completed`). */
export type ClaimMethod = 'marker' | 'status' | 'mail' | 'command' | 'evidence';

/** A claim that a task is finished (ok) or given up (fail). */
export interface Claim {
	task: string;
	ok: boolean;
	method: ClaimMethod;
	summary?: string;
	/** Who claimed it (the agent, or `user` for a person's command). */
	by?: string;
}

/** `CMUX-DONE <task-id> ok|fail <summary>` lines in a text (an agent's output or message). */
export function findMarkers(text: string): Array<{task: string; ok: boolean; summary: string}> {
	const found: Array<{task: string; ok: boolean; summary: string}> = [];
	for (const match of text.matchAll(/^\s*CMUX-DONE\s+(\S+)\s+(ok|fail)\b[ \t]*(.*)$/gm)) {
		const summary = match[3]!.trim();
		// The assignment message itself shows the form with placeholders: that is no claim.
		if (!/^<(?:summary|why)>/.test(summary)) {
			found.push({task: match[1]!, ok: match[2] === 'ok', summary});
		}
	}

	return found;
}

/** The supervisor (first `supervisor` agent in the config), who hears about reviews and budgets. */
export function supervisorOf(context: TaskContext): string | undefined {
	return context.config.agents.find(agent => agent.type === 'supervisor')?.name;
}

/** Tell the supervisor (through the mailbox); without one, the journal-free path is the event itself. */
export async function tellSupervisor(context: TaskContext, subject: string, body: string): Promise<void> {
	const supervisor = supervisorOf(context);
	if (supervisor) {
		await appendMessage(context.paths.mailboxFile, {from: 'cmux-tui', to: supervisor, subject, body});
	}
}

/** Evidence for a task: commits and files since it was offered, and its verify command. */
export async function evidenceFor(context: TaskContext, task: TaskRow, options: {verify?: boolean} = {}): Promise<Evidence> {
	return gatherEvidence({
		cwd: workDir(context, task.agent), root: context.paths.root, verifyTimeout: context.config.tasks.verifyTimeout,
		...(task.baseCommit ? {base: task.baseCommit} : {}),
		...(task.offeredAt ?? task.startedAt ? {since: (task.offeredAt ?? task.startedAt)!} : {}),
		...(task.verify && options.verify !== false ? {verify: task.verify} : {}),
	});
}

const summaryOf = (evidence: Evidence) => ({...evidence, verify: evidence.verify ? {ok: evidence.verify.ok, code: evidence.verify.code, timedOut: evidence.verify.timedOut} : undefined});

const describe = (evidence: Evidence): string => [
	evidence.commits === undefined ? 'no git history' : `${evidence.commits} commit(s)`,
	`${evidence.files.length} changed file(s)`,
	...(evidence.verify ? [`verify ${evidence.verify.ok ? 'passed' : evidence.verify.timedOut ? 'timed out' : `exited ${evidence.verify.code ?? '?'}`}`] : []),
].join(', ');

/**
 * Judge a claim: never guessed. `fail` → failed. `ok` with evidence (verify passed, or without a
 * verify command: commits or changed files since the task was offered) → done; without evidence →
 * review. A done task is final: a later claim (or timeout) leaves it alone. Returns the task.
 */
export async function judgeClaim(context: TaskContext, claim: Claim): Promise<TaskRow> {
	let task = findTask(context, claim.task);
	if (task.state === 'done') {
		return task;
	}

	const note = claim.summary ? `${claim.method}: ${claim.summary}` : claim.method;
	if (!claim.ok) {
		return moveTask(context, task, 'failed', {note});
	}

	if (task.state === 'review' && claim.method === 'evidence') {
		return task;
	}

	const wasReview = task.state === 'review';

	// A claim that arrives before the start was seen starts the task first (both kept as history).
	if (stateOf(task) === 'assigned' || stateOf(task) === 'blocked') {
		task = moveTask(context, task, 'in_progress', {note: `started (${claim.method} claim arrived)`});
	}

	// Checked before the (slow) evidence: an illegal claim fails at once, naming the states.
	checkMove(task.id, stateOf(task), 'done');

	// Work without a claim is only looked at (git), never verified: the verify command runs on claims.
	const evidence = await evidenceFor(context, task, {verify: claim.method !== 'evidence'});
	task = findTask(context, task.id);
	if (task.state === 'done' || (claim.method === 'evidence' && (!evidence.ok || task.state !== 'in_progress'))) {
		return task;
	}

	const verified = evidence.ok && claim.method !== 'evidence';
	if (verified && (task.state === 'blocked' || task.state === 'assigned')) {
		// Blocked (a budget ran out) while the evidence was gathered: the verified claim still wins.
		task = moveTask(context, task, 'in_progress', {note: `resumed: ${claim.method} claim verified`});
	}

	if (verified && canMove(stateOf(task), 'done')) {
		task = moveTask(context, task, 'done', {note: `${note} (${describe(evidence)})`});
	} else if (wasReview || !canMove(stateOf(task), 'review')) {
		// Already waiting for a person: the new claim is recorded, the task stays where it is.
		context.emit({type: 'task.completed', task: task.id, agent: task.agent ?? claim.by ?? 'user', method: claim.method, verified, evidence: summaryOf(evidence)});
		return task;
	} else {
		task = moveTask(context, task, 'review', {note: claim.method === 'evidence'
			? `work without a claim: ${describe(evidence)}`
			: `claimed without evidence: ${describe(evidence)}`});
	}

	context.emit({type: 'task.completed', task: task.id, agent: task.agent ?? claim.by ?? 'user', method: claim.method, verified, evidence: summaryOf(evidence)});
	if (!verified) {
		await tellSupervisor(context, `review task ${task.id}: ${task.title}`, claim.method === 'evidence'
			? `${task.agent ?? 'its agent'} is idle with work done on task ${task.id} but made no claim (${describe(evidence)}). Check it, then: cmux-tui tasks done ${task.id}`
			: `${task.agent ?? 'its agent'} says task ${task.id} is done (${note}) but there is no evidence: ${describe(evidence)}. Check it, then: cmux-tui tasks done ${task.id} or tasks reset ${task.id}`);
	}

	return task;
}
