import type {Handlers} from '../api.js';
import type {Service, ServiceContext} from '../orchestrator.js';
import {beatAgent} from './beat.js';

/** Heartbeats: owns the `beat` command, so the running orchestrator is the one that records them. */
export class HeartbeatService implements Service {
	readonly name = 'heartbeat';
	readonly commands: Handlers;

	constructor(context: ServiceContext) {
		this.commands = {
			beat: async ({name}) => beatAgent(context.store, context.config, name),
		};
	}

	async start(): Promise<void> {}

	async stop(): Promise<void> {}
}
