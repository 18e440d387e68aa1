import {useEffect, useState} from 'react';
import type {CmuxEvent} from '../../core/events.js';
import type {Orchestrator} from '../../core/orchestrator.js';
import {EventRate} from '../data/event-rate.js';
import {LiveView} from '../data/live-view.js';
import {emptySnapshot, recentEventTimes, type Snapshot} from '../data/snapshot.js';
import {createThrottle} from '../data/throttle.js';

export interface LiveData {
	snapshot: Snapshot;
	/** Events per second over the last minute, oldest first. */
	rate: number[];
}

/** At most one render per this many ms while events stream in (10 a second). */
export const renderIntervalMs = 100;

/**
 * During a flood (more than `floodPerSecond` events in the last second) one render every 2 s: a
 * person cannot read faster, and every frame costs the router event-loop time and terminal output.
 */
const floodPerSecond = 50;
const floodIntervalMs = 2000;

/**
 * How often the panes refresh with no events at all (uptimes, ages, the clock). A frame of a
 * 200×50 terminal costs Ink 100-200 ms of CPU on a busy machine, so an idle TUI draws once every
 * 20 s: ages and uptimes move in steps of 20 s when nothing happens, and at once with the next event.
 */
const tickMs = 20_000;

/**
 * The panes' data, kept in memory: read from the store once (bounded), then changed by the
 * orchestrator's events. A render happens only when an event changed something visible (throttled,
 * so a burst of any size costs at most one render per interval) or the clock moved on.
 */
export function useLiveView(orchestrator: Orchestrator, intervalMs = renderIntervalMs): LiveData {
	const {store} = orchestrator.context;
	// Lazy state, not useMemo: React may recompute a memo, and the store may be closed by then.
	const [model] = useState(() => {
		const rate = new EventRate(60);
		for (const at of store.open ? recentEventTimes(store) : []) {
			rate.record(at);
		}

		const view = store.open ? new LiveView(store) : undefined;
		// Subscribed here, in the same tick as the store was read, so no event falls between the two.
		const live = {rate, view, changed: () => undefined as void};
		const onEvent = (event: CmuxEvent) => {
			rate.record(Date.parse(event.ts) || Date.now());
			if (view?.apply(event)) {
				live.changed();
			}
		};

		orchestrator.on('event', onEvent);
		return {...live, unsubscribe: () => orchestrator.off('event', onEvent), get current() {
			return live;
		}};
	});
	const [data, setData] = useState<LiveData>(() => ({snapshot: model.view ? {...model.view.data(), takenAt: Date.now()} : emptySnapshot(), rate: model.rate.series()}));

	useEffect(() => {
		const {view, rate, current} = model;
		const refresh = () => {
			// The store is closed while the orchestrator shuts down; the last frame then stays.
			if (view && store.open) {
				const now = Date.now();
				setData({snapshot: {...view.data(), takenAt: now}, rate: rate.series(now)});
			}
		};

		const throttle = createThrottle(refresh, () => intervalMs > 0 && (rate.series().at(-1) ?? 0) > floodPerSecond ? Math.max(intervalMs, floodIntervalMs) : intervalMs);
		current.changed = throttle.request;
		const ticker = setInterval(throttle.request, tickMs);
		// Events may have changed the view between the first render and now.
		throttle.request();
		return () => {
			model.unsubscribe();
			current.changed = () => undefined;
			clearInterval(ticker);
			throttle.cancel();
		};
	}, [orchestrator, store, model, intervalMs]);

	return data;
}
