import fs from 'node:fs';
import type {CommandModule} from 'yargs';
import {healthChecks} from '../core/checks.js';
import {doctorChecks} from '../core/doctor.js';
import {runChecks, type Check, type CheckResult} from '../core/health/checks.js';
import {buildReport, type HealthReport} from '../core/health/report.js';
import {repairStore} from '../core/store/repair.js';
import {Store} from '../core/store/store.js';
import {ExecTmuxClient} from '../core/tmux/exec-client.js';
import {clean, paint, printJson, projectFrom, type GlobalOptions} from './common.js';

export const statusCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'status',
	describe: 'One-shot health report (exit 0 healthy, 1 degraded or unhealthy)',
	handler(argv) {
		const {paths} = projectFrom(argv);
		let report: HealthReport;
		if (fs.existsSync(paths.dbFile)) {
			const store = Store.open(paths.dbFile);
			try {
				report = buildReport(store);
			} finally {
				store.close();
			}
		} else {
			const store = Store.open(':memory:');
			report = buildReport(store);
			store.close();
		}

		if (argv.json) {
			printJson(report);
		} else {
			process.stdout.write(formatReport(report));
		}

		process.exitCode = report.status === 'healthy' ? 0 : 1;
	},
};

export const checkCommand: CommandModule<GlobalOptions, GlobalOptions> = {
	command: 'check',
	describe: 'Run every health check once (tmux, agents, server, frontend, logs); exit 0/1',
	async handler(argv) {
		await runAndPrint(healthChecks, argv);
	},
};

export const doctorCommand: CommandModule<GlobalOptions, GlobalOptions & {repair?: boolean}> = {
	command: 'doctor',
	describe: 'Diagnostics: tmux version, permissions, locks, stale entries, database integrity, ports',
	builder: yargs => yargs.option('repair', {type: 'boolean', describe: 'Move a damaged cmux.db aside (0600) and build a new one'}),
	async handler(argv) {
		if (argv.repair) {
			const repaired = repairStore(projectFrom(argv).paths);
			if (!argv.json) {
				process.stdout.write(clean(repaired.rebuilt ? `repaired: the database was damaged (${repaired.problem}); moved to ${repaired.movedTo}, a new one was created\n` : 'repair: the database is fine (or absent); nothing to do\n'));
			}
		}

		await runAndPrint(doctorChecks, argv);
	},
};

async function runAndPrint(checks: readonly Check[], argv: GlobalOptions): Promise<void> {
	const {config, paths} = projectFrom(argv);
	const tmux = new ExecTmuxClient(config.tmuxSocket);
	const results = await runChecks(checks, {config, paths, tmux});
	const failed = results.filter(result => !result.ok && !result.warning);
	if (argv.json) {
		printJson({ok: failed.length === 0, results});
	} else {
		process.stdout.write(results.map(formatResult).join(''));
	}

	process.exitCode = failed.length === 0 ? 0 : 1;
}

function formatResult(result: CheckResult): string {
	const mark = result.ok ? paint('ok  ', 'green') : result.warning ? paint('warn', 'yellow') : paint('FAIL', 'red');
	return `${mark} ${clean(`${result.name}: ${result.detail}`)}\n`;
}

/** The text form of `status`. */
export function formatReport(report: HealthReport): string {
	const color = {healthy: 'green', degraded: 'yellow', unhealthy: 'red', off: 'dim'} as const;
	const line = (name: string, section: {status: keyof typeof color; reason?: string}, extra = '') =>
		`${clean(name.padEnd(13))}${paint(section.status.padEnd(10), color[section.status])}${clean(extra)}${section.reason ? `  ${clean(section.reason)}` : ''}\n`;
	const counts = (byState: Record<string, number>) => Object.entries(byState).map(([state, count]) => `${state} ${count}`).join(', ');
	let text = `cmux-tui: ${paint(report.status, color[report.status])}\n`;
	text += line('orchestrator', report.orchestrator, report.orchestrator.running ? `pid ${report.orchestrator.pid}` : '');
	text += line('agents', report.agents, `${report.agents.total} (${counts(report.agents.byState) || 'none'})`);
	for (const agent of report.agents.list) {
		text += clean(`  ${agent.name.padEnd(18)}${agent.type.padEnd(11)}${agent.state.padEnd(11)}pid ${agent.pid ?? '-'}  restarts ${agent.restarts}\n`);
	}

	text += line('server', report.server, serverSummary(report.server));
	text += line('frontend', report.frontend, frontendSummary(report.frontend));
	text += line('mailbox', report.mailbox, counts(report.mailbox.byState));
	for (const dead of report.mailbox.deadLetters) {
		text += `  ${paint('dead', 'red')} ${clean(`${dead.ts.slice(0, 19)} ${dead.from} -> ${dead.to}: ${JSON.stringify(dead.subject)} (${dead.attempts} tries: ${dead.lastError ?? 'unknown'})`)}\n`;
	}

	for (const message of report.mailbox.toUser.slice(0, 5)) {
		text += `  to user ${message.ts.slice(0, 19)} ${message.from}: ${JSON.stringify(message.subject.length > 100 ? `${message.subject.slice(0, 100)}…` : message.subject)} (${message.taskStatus})\n`;
	}

	text += line('alerts', report.alerts, `${report.alerts.total} total, ${report.alerts.lastHour} in the last hour`);
	return text;
}

function serverSummary(server: HealthReport['server']): string {
	if (typeof server.pid !== 'number') {
		return '';
	}

	const probe = server.lastProbe as {ok?: boolean; ms?: number} | undefined;
	return `pid ${server.pid}${typeof server.port === 'number' ? ` port ${server.port}` : ''}, restarts ${Number(server.restarts ?? 0)}${probe ? `, last probe ${probe.ok ? 'ok' : 'failed'}` : ''}`;
}

function frontendSummary(frontend: HealthReport['frontend']): string {
	const build = frontend.lastBuild as {ts?: string; ok?: boolean} | undefined;
	return build?.ts ? `last build ${build.ok ? 'ok' : 'failed'} at ${build.ts}` : '';
}
