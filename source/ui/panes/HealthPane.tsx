import React from 'react';
import {Box, Text} from 'ink';
import sparkly from 'sparkly';
import type {HealthReport, Section} from '../../core/health/report.js';
import {Pane} from '../components/Pane.js';
import {ago, clockTime, shortDuration} from '../data/format.js';
import type {Tone} from '../data/rows.js';
import {useTone} from '../theme.js';

export interface HealthPaneProps {
	title: React.ReactNode;
	titleLength: number;
	report: HealthReport;
	rate: readonly number[];
	focused: boolean;
	height: number;
	width: number;
	now: number;
}

const statusTone: Record<string, Tone> = {healthy: 'good', degraded: 'warn', unhealthy: 'bad', off: 'dim'};

/**
 * Overall status, mailbox counts, server, frontend, alerts and the events-per-second sparkline, in
 * that order of importance: a short pane shows the first lines that fit.
 */
export function HealthPane({title, titleLength, report, rate, focused, height, width, now}: HealthPaneProps) {
	const total = rate.reduce((sum, count) => sum + count, 0);
	const peak = Math.max(0, ...rate);
	const mailbox = report.mailbox.byState;
	const probe = probeText(report.server, now);
	const lines = [
		<Line key="overall" label="overall"><Status value={report.status} /><Reason section={{reason: overallReason(report)}} /></Line>,
		<Line key="mailbox" label="mailbox"><Status value={`${mailbox.dead ?? 0} dead`} tone={(mailbox.dead ?? 0) > 0 ? 'bad' : 'good'} />{` · ${mailbox.pending ?? 0} pending · ${mailbox.delivering ?? 0} delivering · ${mailbox.delivered ?? 0} delivered`}</Line>,
		<Line key="server" label="server"><Status value={report.server.status} />{serverText(report.server, now)}</Line>,
		<Line key="frontend" label="frontend"><Status value={report.frontend.status} />{frontendText(report.frontend)}</Line>,
		<Line key="alerts" label="alerts">{`${report.alerts.total} total · ${report.alerts.lastHour} in the last hour`}</Line>,
		...(probe ? [<Line key="probe" label="">{probe}</Line>] : []),
		<Line key="events" label="events/s">{`${total} in the last minute, peak ${peak}/s`}</Line>,
		<Text key="spark" wrap="truncate-end">{sparkly(fitRate(rate, width - 4), {minimum: 0})}</Text>,
	];
	return (
		<Pane title={title} titleLength={titleLength} focused={focused} height={height} width={width}>
			{lines.slice(0, Math.max(0, height - 2))}
		</Pane>
	);
}

/** The per-second counts averaged into as many points as fit in `room` columns. */
export function fitRate(rate: readonly number[], room: number): number[] {
	if (rate.length === 0) {
		return [0];
	}

	const perPoint = Math.max(1, Math.ceil(rate.length / Math.max(1, room)));
	const points: number[] = [];
	for (let start = rate.length % perPoint; start < rate.length; start += perPoint) {
		const slice = rate.slice(start, start + perPoint);
		points.push(slice.reduce((sum, count) => sum + count, 0) / slice.length);
	}

	return points;
}

function Line({label, children}: {label: string; children: React.ReactNode}) {
	return (
		<Box>
			<Box width={9} flexShrink={0}><Text dimColor>{label}</Text></Box>
			<Text wrap="truncate-end">{children}</Text>
		</Box>
	);
}

function Status({value, tone}: {value: string; tone?: Tone}) {
	const color = useTone();
	return <Text bold color={color(tone ?? statusTone[value])}>{value}</Text>;
}

function Reason({section}: {section: {reason?: string}}) {
	return section.reason ? <Text dimColor>{` (${section.reason})`}</Text> : null;
}

/** Why the overall status is not healthy: the reasons of the sections that are not. */
function overallReason(report: HealthReport): string | undefined {
	const sections = [report.orchestrator, report.agents, report.server, report.frontend, report.mailbox];
	const reasons = sections.filter(section => section.status === 'degraded' || section.status === 'unhealthy').map(section => section.reason).filter(Boolean);
	return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function serverText(server: Section, now: number): string {
	if (server.status === 'off') {
		return '';
	}

	const startedAt = timeOf(server.startedAt);
	const restarts = typeof server.restarts === 'number' ? server.restarts : 0;
	return `${startedAt === undefined ? '' : ` · up ${shortDuration(now - startedAt)}`} · ${restarts} restart${restarts === 1 ? '' : 's'}`;
}

/** When the server's health URL was last probed and how it went. */
function probeText(server: Section, now: number): string | undefined {
	const probe = timeOf(server.lastProbe);
	if (probe === undefined) {
		return undefined;
	}

	const ok = (server.lastProbe as {ok?: unknown}).ok;
	return `last probe ${ago(new Date(probe).toISOString(), now)}${ok === false ? ': failed' : ok === true ? ': ok' : ''}`;
}

function frontendText(frontend: Section): string {
	if (frontend.status === 'off') {
		return '';
	}

	const last = timeOf(frontend.lastBuild ?? frontend.builtAt);
	return last === undefined ? ' · no build yet' : ` · last build ${clockTime(new Date(last).toISOString())}`;
}

/** A time in ms from what a service put in its detail: an ISO string, epoch ms, or an object with `ts`. */
function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (typeof value === 'string') {
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? undefined : parsed;
	}

	if (value && typeof value === 'object' && 'ts' in value) {
		return timeOf((value as {ts: unknown}).ts);
	}

	return undefined;
}
