import {useEffect, useState} from 'react';
import type {CmuxEvent} from '../../core/events.js';
import type {Orchestrator} from '../../core/orchestrator.js';
import {EventRate} from '../data/event-rate.js';
import {emptySnapshot, readSnapshot, recentEventTimes, type Snapshot} from '../data/snapshot.js';
import {createThrottle} from '../data/throttle.js';

export interface LiveData {
	snapshot: Snapshot;
	/** Events per second over the last minute, oldest first. */
	rate: number[];
}

/** At most one store read and re-render per this many ms: ~20 a second, however fast events come. */
export const renderIntervalMs = 50;

/** How often the panes refresh with no events at all (uptimes, ages, the sparkline moving on). */
const tickMs = 1000;

/**
 * The store as the panes show it. Subscribes to the orchestrator's events in an effect and
 * re-reads the store, throttled, so a burst of events costs at most one render per interval.
 */
export function useSnapshot(orchestrator: Orchestrator, intervalMs = renderIntervalMs): LiveData {
	const {store} = orchestrator.context;
	// Lazy state, not useMemo: React may recompute a memo, and the store may be closed by then.
	const [rate] = useState(() => {
		const counter = new EventRate(60);
		for (const at of store.open ? recentEventTimes(store) : []) {
			counter.record(at);
		}

		return counter;
	});
	const [data, setData] = useState<LiveData>(() => ({snapshot: store.open ? readSnapshot(store) : emptySnapshot(), rate: rate.series()}));

	useEffect(() => {
		const refresh = () => {
			// The store is closed while the orchestrator shuts down; the last frame then stays.
			if (store.open) {
				const now = Date.now();
				setData({snapshot: readSnapshot(store, now), rate: rate.series(now)});
			}
		};

		const throttle = createThrottle(refresh, intervalMs);
		const onEvent = (event: CmuxEvent) => {
			rate.record(Date.parse(event.ts) || Date.now());
			throttle.request();
		};

		orchestrator.on('event', onEvent);
		const ticker = setInterval(throttle.request, tickMs);
		// Events may have landed between the first read and this subscription.
		throttle.request();
		return () => {
			orchestrator.off('event', onEvent);
			clearInterval(ticker);
			throttle.cancel();
		};
	}, [orchestrator, store, rate, intervalMs]);

	return data;
}
