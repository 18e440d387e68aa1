/** Why an agent's process is gone. */
export type ExitReason = 'window-closed' | 'process-exited' | 'killed';

type Fields = Record<string, unknown>;
type AgentFields = {agent: string} & Fields;
type MessageFields = {id: string; from: string; to: string} & Fields;
type TaskFields = {task: string} & Fields;

/**
 * Every event type in SPEC.md with the fields it must carry. Extra fields are allowed: they are
 * persisted and printed as they are.
 */
export interface EventFields {
	'orchestrator.started': {pid: number; project: string} & Fields;
	'orchestrator.stopping': {signal?: string} & Fields;
	'agent.registered': AgentFields;
	'agent.unregistered': AgentFields;
	'agent.started': AgentFields;
	'agent.exited': {agent: string; reason: ExitReason; code?: number} & Fields;
	'agent.stale_removed': AgentFields;
	'agent.zombie': AgentFields;
	'agent.killed': AgentFields;
	'agent.restarted': AgentFields;
	'agent.state': {agent: string; state: string; previous: string; source: string} & Fields;
	'agent.heartbeat_missed': AgentFields;
	'agent.nudged': AgentFields;
	'agent.escalated': AgentFields;
	'message.received': MessageFields;
	'message.delivered': MessageFields;
	'message.retry': MessageFields;
	'message.dead_letter': MessageFields;
	'message.rejected': {line: number; reason: string} & Fields;
	'message.status': {status: string} & MessageFields;
	'log.alert': {file: string; count: number; sample: string[]; attachment: string} & Fields;
	'server.started': Fields;
	'server.unhealthy': Fields;
	'server.stopped': Fields;
	'server.restarted': Fields;
	'server.port_busy': {port: number} & Fields;
	'frontend.unhealthy': Fields;
	'frontend.rebuilt': Fields;
	'frontend.rebuild_failed': Fields;
	'rollback.started': Fields;
	'rollback.verified': Fields;
	'rollback.failed': Fields;
	'task.state': TaskFields;
	'task.completed': {task: string; agent: string; method: string; verified: boolean} & Fields;
	'cycle.detected': Fields;
	'health.changed': {status: string; previous: string} & Fields;
}

export type EventType = keyof EventFields;

/** What a service hands to `emit`: the type and its fields; `ts` is added when omitted. */
export type EventInput = {[T in EventType]: {type: T; ts?: string} & EventFields[T]}[EventType];

/** A stored or emitted event: always has `ts` (ISO 8601 with milliseconds) and `type`; `seq` is its row in the store. */
export type CmuxEvent = EventInput & {ts: string; seq?: number};
