import {HealthServer} from './health/health-server.js';
import {HealthWatch} from './health/health-watch.js';
import {MailboxService} from './mailbox/service.js';
import type {ServiceFactory} from './orchestrator.js';

/**
 * The orchestrator's services, in start order (stopped in reverse). Each feature adds its factory
 * here; a factory returns undefined when its feature is not configured.
 */
export const serviceFactories: readonly ServiceFactory[] = [
	// First, so a busy health port fails the start before anything else is touched.
	context => context.config.healthPort === 0 ? undefined : new HealthServer(context),
	context => new MailboxService(context),
	// Last, so its first evaluation sees every service's state.
	context => new HealthWatch(context),
];
