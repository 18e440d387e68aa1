import type {Handlers} from '../api.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {beatAgent} from './beat.js';

/** Heartbeats: owns the `beat` command, so the running orchestrator is the one that records them. */
export class HeartbeatService implements Service {
	readonly name = 'heartbeat';
	readonly commands: Handlers;

	constructor(context: ServiceContext) {
		this.commands = {
			async beat({name}) {
				const result = beatAgent(context.store, context.config, name);
				// Supervision hears it now, not at its next look at the heartbeats table.
				context.orchestrator.emit('beat', {agent: result.agent, at: Date.parse(result.ts)});
				return result;
			},
		};
	}

	async start(): Promise<void> {}

	async stop(): Promise<void> {}
}
