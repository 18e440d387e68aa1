import {AgentsService} from './agents/service.js';
import {FrontendService} from './frontend/service.js';
import {HealthServer} from './health/health-server.js';
import {HealthWatch} from './health/health-watch.js';
import {HeartbeatService} from './heartbeat/service.js';
import {LogWatch} from './logs/log-watch.js';
import {MailboxService} from './mailbox/service.js';
import {RetentionService} from './retention/service.js';
import type {ServiceFactory} from './orchestrator.js';
import {RollbackService} from './rollback/service.js';
import {ServerService} from './server/service.js';
import {SupervisionService} from './supervision/service.js';
import {TasksService} from './tasks/service.js';

/**
 * The orchestrator's services, in start order (stopped in reverse). Each feature adds its factory
 * here; a factory returns undefined when its feature is not configured.
 */
export const serviceFactories: readonly ServiceFactory[] = [
	// First, so a busy health port fails the start before anything else is touched.
	context => context.config.healthPort === 0 ? undefined : new HealthServer(context),
	// Before the server, so the server's first log lines are already watched.
	context => new LogWatch(context),
	// Before the server: a missing dist is built before the server starts on it.
	context => context.config.frontend ? new FrontendService(context, context.config.frontend) : undefined,
	context => context.config.server ? new ServerService(context, context.config.server) : undefined,
	context => context.config.rollback.enabled && context.config.server ? new RollbackService(context) : undefined,
	// After the server the agents work against, and after the log watcher that hears their events.
	context => new AgentsService(context),
	context => new HeartbeatService(context),
	// After the agents it delivers to.
	context => new MailboxService(context),
	// After the agents and the mailbox whose events and mail it watches.
	context => new SupervisionService(context),
	// Prunes the store in small batches on a slow, unref'd timer.
	context => new RetentionService(context),
	// After supervision, whose activity states and hooks drive offers, claims and cycles.
	context => new TasksService(context),
	// Last, so its first evaluation sees every service's state.
	context => new HealthWatch(context),
];
