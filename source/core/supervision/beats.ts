import fs from 'node:fs';
import path from 'node:path';
import type {Store} from '../store/store.js';

/**
 * Heartbeats that come from outside the orchestrator: rows in `heartbeats` (written by `cmux-tui
 * beat` and `POST /beat/NAME`) and CMUX's `.cmux/.supervisor-heartbeat` (epoch seconds) for the
 * supervisor. The orchestrator's own beats also arrive in-process (`note`); `poll` finds the rest
 * (beats recorded by a CLI acting directly, the supervisor file) and returns the agents whose beat is newer than last time, with its time (ms).
 */
export class BeatWatch {
	private readonly seen = new Map<string, number>();
	private supervisorBeat = 0;
	private readonly since = Date.now();

	constructor(private readonly store: Store, private readonly root: string, private readonly supervisors: () => string[]) {}

	/** A beat already taken in (handed over in-process): the next poll does not report it again. */
	note(agent: string, at: number): void {
		this.seen.set(agent, Math.max(at, this.seen.get(agent) ?? this.since));
	}

	poll(): Array<{agent: string; at: number}> {
		const beats: Array<{agent: string; at: number}> = [];
		for (const row of this.store.supervision.heartbeats()) {
			const at = Date.parse(row.ts);
			const before = this.seen.get(row.agent) ?? this.since;
			this.seen.set(row.agent, Math.max(at, before));
			if (at > before) {
				beats.push({agent: row.agent, at});
			}
		}

		const file = supervisorFileBeat(this.root);
		if (file !== undefined && file > this.supervisorBeat) {
			const first = this.supervisorBeat === 0;
			this.supervisorBeat = file;
			if (!first) {
				beats.push(...this.supervisors().map(agent => ({agent, at: file})));
			}
		}

		return beats;
	}
}

/** CMUX's supervisor heartbeat file: epoch seconds, as ms; undefined when missing or not a number. */
export function supervisorFileBeat(root: string): number | undefined {
	try {
		const seconds = Number(fs.readFileSync(path.join(root, '.cmux', '.supervisor-heartbeat'), 'utf8').trim());
		return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
	} catch {
		// No file: CMUX's supervisor tooling is not in use.
		return undefined;
	}
}
