import type {Store} from '../store/store.js';
import type {HealthReport} from './report.js';

const statusValue = {healthy: 0, degraded: 1, unhealthy: 2, off: 0} as const;

/** Prometheus text exposition of the report and the event counters, names prefixed `cmux_`. */
export function renderMetrics(report: HealthReport, store: Store): string {
	const lines: string[] = [];
	const metric = (name: string, help: string, type: 'gauge' | 'counter', samples: Array<[Record<string, string>, number]>) => {
		lines.push(`# HELP cmux_${name} ${help}`, `# TYPE cmux_${name} ${type}`);
		for (const [labels, value] of samples) {
			const text = Object.entries(labels).map(([key, label]) => `${key}="${escapeLabel(label)}"`).join(',');
			lines.push(`cmux_${name}${text ? `{${text}}` : ''} ${value}`);
		}
	};

	metric('up', 'Whether the orchestrator is running (1) or not (0).', 'gauge', [[{}, report.orchestrator.running ? 1 : 0]]);
	metric('health_status', 'Overall health: 0 healthy, 1 degraded, 2 unhealthy.', 'gauge', [[{}, statusValue[report.status]]]);
	metric('section_status', 'Health of each section: 0 healthy or off, 1 degraded, 2 unhealthy.', 'gauge',
		(['orchestrator', 'agents', 'server', 'frontend', 'mailbox', 'alerts'] as const).map(name => [{section: name}, statusValue[report[name].status]]));
	metric('agents', 'Agents by state.', 'gauge', Object.entries(report.agents.byState).map(([state, count]) => [{state}, count]));
	metric('agent_state', 'Activity state of each agent (1 for its current state).', 'gauge',
		report.agents.list.filter(agent => agent.activity).map(agent => [{agent: agent.name, state: agent.activity!.state}, 1]));
	metric('agent_restarts_total', 'Restarts of each agent.', 'counter', report.agents.list.map(agent => [{agent: agent.name}, agent.restarts]));
	metric('messages', 'Mailbox messages by delivery state.', 'gauge', Object.entries(report.mailbox.byState).map(([state, count]) => [{state}, count]));
	metric('alerts_total', 'Log alerts raised.', 'counter', [[{}, report.alerts.total]]);
	const events = store.counters.group('events');
	metric('events_total', 'Events recorded, by type (since the database was created; retention does not lower it).', 'counter', events.map(row => [{type: row.key}, row.total]));
	metric('events_stored', 'Events kept in the store now, by type.', 'gauge', events.map(row => [{type: row.key}, row.stored]));
	return `${lines.join('\n')}\n`;
}

function escapeLabel(value: string): string {
	return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}
