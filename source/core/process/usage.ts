import {execFile} from 'node:child_process';
import fs from 'node:fs/promises';
import {promisify} from 'node:util';
import {descendantsOf, listProcesses} from './table.js';

/** CPU (percent of one core, over the last interval) and resident memory (bytes) of a process tree. */
export interface Usage {
	cpu: number;
	rss: number;
}

/** Clock ticks per second of /proc's cpu times (USER_HZ: 100 on every Linux Node runs on). */
const ticksPerSecond = 100;
const pageSize = 4096;

/**
 * Samples the CPU and memory of process trees (an agent's pane process and everything below it).
 * Each call to `sample` compares with the previous one, so the first call gives cpu 0. Linux reads
 * /proc; elsewhere `ps` is asked (one process per sample).
 */
export class UsageSampler {
	private previous = new Map<number, {ticks: number; at: number}>();

	/** Usage of each root's tree, keyed by the root pid. Roots that are gone are left out. */
	async sample(roots: readonly number[], now = Date.now()): Promise<Map<number, Usage>> {
		const table = listProcesses();
		const trees = new Map(roots.map(root => [root, [root, ...descendantsOf(table, [root])]]));
		const perProcess = process.platform === 'linux' ? await procStats([...trees.values()].flat()) : await psStats();
		const result = new Map<number, Usage>();
		const next = new Map<number, {ticks: number; at: number}>();
		for (const root of roots) {
			if (!perProcess.has(root)) {
				continue;
			}

			let ticks = 0;
			let rss = 0;
			for (const pid of trees.get(root)!) {
				const stat = perProcess.get(pid);
				ticks += stat?.ticks ?? 0;
				rss += stat?.rss ?? 0;
			}

			const before = this.previous.get(root);
			const seconds = before ? (now - before.at) / 1000 : 0;
			const cpu = before && seconds > 0 ? Math.max(0, (ticks - before.ticks) / ticksPerSecond / seconds * 100) : 0;
			result.set(root, {cpu, rss});
			next.set(root, {ticks, at: now});
		}

		this.previous = next;
		return result;
	}
}

async function procStats(pids: readonly number[]): Promise<Map<number, {ticks: number; rss: number}>> {
	const stats = new Map<number, {ticks: number; rss: number}>();
	await Promise.all(pids.map(async entry => {
		try {
			const text = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command (which may hold spaces) start after the last ')'.
			const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
			stats.set(Number(entry), {ticks: Number(fields[11]) + Number(fields[12]), rss: Number(fields[21]) * pageSize});
		} catch {
			// The process ended between readdir and readFile: it simply has no usage.
		}
	}));
	return stats;
}

async function psStats(): Promise<Map<number, {ticks: number; rss: number}>> {
	const {stdout} = await promisify(execFile)('ps', ['-A', '-o', 'pid=,time=,rss=']);
	const stats = new Map<number, {ticks: number; rss: number}>();
	for (const line of stdout.split('\n')) {
		const [pid, time, rss] = line.trim().split(/\s+/);
		if (pid && time && rss) {
			const seconds = time.split(/[:-]/).map(Number).reduce((sum, part) => sum * 60 + part, 0);
			stats.set(Number(pid), {ticks: seconds * ticksPerSecond, rss: Number(rss) * 1024});
		}
	}

	return stats;
}
