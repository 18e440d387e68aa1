import fs from 'node:fs';
import path from 'node:path';
import {appendJournal, journalDayDir} from '../journal/journal.js';
import {appendMessage} from '../mailbox/append.js';
import {agentTarget} from '../supervision/pane-check.js';
import type {TmuxClient} from '../tmux/client.js';
import {currentTask, viewOf, workDir, type TaskContext} from './book.js';
import {branchName, workingTree} from './evidence.js';

const stamp = (date: Date) => date.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * Write what an agent needs after a context compaction to
 * `.cmux/journal/DATE/attachments/compaction-NAME-TS.json`: the last 50 lines of its pane, the git
 * branch, staged, unstaged and untracked files, its current task and its pending mail. Returns the path.
 */
export async function writeHandoff(context: TaskContext, tmux: TmuxClient, agent: string, reason: string): Promise<string> {
	const now = new Date(context.now());
	let pane: string[] = [];
	try {
		pane = (await tmux.run(['capture-pane', '-p', '-J', '-t', agentTarget(context.config, agent), '-S', '-50'])).slice(-50);
	} catch {
		// No pane (the agent is gone): the hand-off is still worth writing without its screen.
		pane = [];
	}

	const cwd = workDir(context, agent);
	const task = currentTask(context, agent);
	const handoff = {
		agent, reason, ts: now.toISOString(), cwd,
		branch: await branchName(cwd) ?? null,
		files: await workingTree(cwd) ?? null,
		task: task ? viewOf(task) : null,
		pendingMail: context.store.tasks.mailFor([agent, `${context.config.session}:${agent}`]),
		pane,
	};
	const dir = path.join(journalDayDir(context.paths.journalDir, now), 'attachments');
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	const file = path.join(dir, `compaction-${agent}-${stamp(now)}.json`);
	fs.writeFileSync(file, `${JSON.stringify(handoff, null, 2)}\n`, {mode: 0o600});
	appendJournal(context.paths.journalDir, `compaction hand-off of ${agent} (${reason}): ${file}`, now);
	return file;
}

/** The newest hand-off of `agent` (today's or yesterday's journal), if any. */
export function latestHandoff(context: TaskContext, agent: string): string | undefined {
	const now = context.now();
	for (const day of [new Date(now), new Date(now - 86_400_000)]) {
		const dir = path.join(journalDayDir(context.paths.journalDir, day), 'attachments');
		const files = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter(name => name.startsWith(`compaction-${agent}-`) && name.endsWith('.json')).sort();
		if (files.length > 0) {
			return path.join(dir, files.at(-1)!);
		}
	}

	return undefined;
}

/** After a compaction (`SessionStart` with source `compact`): tell the agent where its hand-off is and what it was doing. */
export async function compactionRecovery(context: TaskContext, agent: string): Promise<string | undefined> {
	const file = latestHandoff(context, agent);
	const task = currentTask(context, agent);
	if (!file && !task) {
		return undefined;
	}

	const body = [
		'Your context was just compacted.',
		...(file ? [`What you had on screen, your git state and pending mail: ${file}`] : []),
		...(task ? [`Your task in progress: ${task.id}: ${task.title} (${task.state}).`, `Report with "CMUX-DONE ${task.id} ok <summary>" when it is finished.`] : []),
	].join('\n');
	const sent = await appendMessage(context.paths.mailboxFile, {from: 'cmux-tui', to: agent, subject: 'recovery: your context was compacted', body});
	return sent.id;
}
