import type Database from 'better-sqlite3';
import type {Statements} from './statements.js';

/** Which table a counter row counts. */
export type CounterGroup = 'events' | 'messages' | 'alerts';

/** One running total: `stored` rows now (pruning lowers it), `total` ever added (never lowers). */
export interface Counter {
	key: string;
	stored: number;
	total: number;
}

/**
 * `counters`: running totals kept by triggers in the same transaction as each row change (see
 * migration 130), so reports never count rows: events by type, messages by delivery state
 * (`total` counts entries into a state), alerts (key `''`).
 */
export class CounterTable {
	private readonly groupStatement: Database.Statement;

	constructor(statements: Statements) {
		this.groupStatement = statements.report('SELECT key, stored, total FROM counters WHERE grp = ? ORDER BY key');
	}

	/** Every counter of `group`, by key. */
	group(group: CounterGroup): Counter[] {
		return this.groupStatement.all(group) as Counter[];
	}

	/** `stored` of every key of `group`, as an object (missing keys are 0 to the caller). */
	stored(group: CounterGroup): Record<string, number> {
		return Object.fromEntries(this.group(group).map(counter => [counter.key, counter.stored]));
	}

	/** Sum of `stored` over `keys` of `group` (all keys when none given). */
	storedSum(group: CounterGroup, keys?: readonly string[]): number {
		return this.group(group).filter(counter => !keys || keys.includes(counter.key)).reduce((sum, counter) => sum + counter.stored, 0);
	}
}
