import type {Store} from '../../../source/core/store/store.js';

/** What a full count of each counted table gives, in the counters' shape (`stored` per key). */
export function fullCounts(store: Store): Record<string, Record<string, number>> {
	const group = (sql: string) => Object.fromEntries((store.db.prepare(sql).all() as Array<{key: string; n: number}>).map(row => [row.key, row.n]));
	const alerts = (store.db.prepare('SELECT count(*) AS n FROM alerts').get() as {n: number}).n;
	return {
		events: group('SELECT type AS key, count(*) AS n FROM events GROUP BY type'),
		messages: group('SELECT state AS key, count(*) AS n FROM messages GROUP BY state'),
		alerts: alerts > 0 ? {'': alerts} : {},
	};
}

/** The counters' `stored` per key, leaving out keys at 0 (a full count has no row for them). */
export function counterCounts(store: Store): Record<string, Record<string, number>> {
	const group = (name: 'events' | 'messages' | 'alerts') => Object.fromEntries(Object.entries(store.counters.stored(name)).filter(([, n]) => n !== 0));
	return {events: group('events'), messages: group('messages'), alerts: group('alerts')};
}
