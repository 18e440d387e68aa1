import type {Store} from '../store/store.js';

/** Why the mailbox ingest is not moving, and since when. */
export interface IngestStall {
	reason: string;
	since: string;
}

/**
 * The ingest's health, kept in memory beside the store it writes: when the store itself is what
 * fails (a full disk, a broken file), it cannot hold the news, yet `/health` (same process, same
 * Store) must still say degraded. A copy is also written to `service_state` when it can be, for
 * `status` in other processes.
 */
const stalls = new WeakMap<Store, IngestStall>();

export function markIngestStalled(store: Store, reason: string): void {
	const stall = {reason, since: new Date().toISOString()};
	stalls.set(store, stall);
	try {
		store.setServiceState('mailbox-ingest', 'degraded', {reason: `mailbox ingest stalled: ${reason}`, since: stall.since});
	} catch {
		// The store may be the very thing failing: the in-memory mark above is what /health reads.
	}
}

export function markIngestMoving(store: Store): void {
	stalls.delete(store);
	try {
		store.setServiceState('mailbox-ingest', 'healthy', {});
	} catch {
		// As above: the store may still refuse writes; the in-memory state is already cleared.
	}
}

/** The stall `/health` and `status` report, if the ingest is stalled. */
export function ingestStall(store: Store): IngestStall | undefined {
	const live = stalls.get(store);
	if (live) {
		return live;
	}

	try {
		const state = store.serviceState('mailbox-ingest');
		return state?.status === 'degraded' ? {reason: String(state.detail.reason ?? 'mailbox ingest stalled'), since: String(state.detail.since ?? state.updatedAt)} : undefined;
	} catch {
		return undefined;
	}
}
