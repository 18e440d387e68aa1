import {Store} from '../../source/core/store/store.js';

/**
 * `events` events over the last six days, a tenth as many delivered messages and a hundredth as many
 * alerts (at least 1,000 of each, so the TUI's lists are full even in a small store; at most retention's
 * defaults, so nothing is pruned).
 */
export function fillStore(file: string, events: number): void {
	const store = Store.open(file);
	const start = Date.now() - 6 * 86_400_000;
	const step = (6 * 86_400_000) / events;
	const types = ['agent.state', 'message.received', 'message.delivered', 'agent.heartbeat_missed', 'log.alert'] as const;
	for (let done = 0; done < events; done += 50_000) {
		store.transaction(() => {
			for (let index = done; index < Math.min(events, done + 50_000); index++) {
				store.insertEvent({type: types[index % types.length]!, agent: `w${index % 100}`, ts: new Date(start + index * step).toISOString()} as never);
			}
		});
	}

	const messages = Math.max(1000, Math.min(100_000, events / 10));
	const position = {dev: 0, ino: 0, offset: 0, line: 0};
	for (let done = 0; done < messages; done += 10_000) {
		const items = Array.from({length: Math.min(10_000, messages - done)}, (_, offset) => ({kind: 'message' as const, line: done + offset, message: {id: `b${done + offset}`, ts: new Date().toISOString(), from: 'bench', to: `w${offset % 100}`, subject: `s ${done + offset}`, status: 'submitted' as const}}));
		store.messages.ingest('bench', items, position);
		store.transaction(() => {
			for (const item of items) {
				store.messages.markDelivered(store.messages.get(item.message.id)!.seq, new Date().toISOString());
			}
		});
	}

	store.transaction(() => {
		for (let index = 0; index < Math.max(1000, Math.min(10_000, events / 100)); index++) {
			store.alerts.insert({ts: new Date(start + index * 1000).toISOString(), file: 'app.log', count: 1, sample: ['ERROR bench']});
		}
	});
	store.close();
}
