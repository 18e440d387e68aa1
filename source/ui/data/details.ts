import fs from 'node:fs/promises';
import type {Api} from '../../core/api.js';
import type {AgentRow} from '../../core/health/report.js';
import {errorText} from '../../core/errors.js';
import type {AlertRow, MessageRow} from './snapshot.js';

export interface Details {
	title: string;
	lines: string[];
}

/** The last lines of the agent's pane, through the `agents.pane` command. */
export async function agentDetails(agent: AgentRow, api: Api, lines: number): Promise<Details> {
	const title = `${agent.name} — last ${lines} lines of its pane`;
	if (!api.has('agents.pane')) {
		return {title, lines: ['(reading an agent\'s pane is not available: the agents service is not running)']};
	}

	try {
		const {text} = await api.call('agents.pane', {name: agent.name, lines});
		return {title, lines: text.replace(/\n+$/, '').split('\n')};
	} catch (error) {
		return {title, lines: [`cannot read the pane: ${errorText(error)}`]};
	}
}

/** The whole message: header fields, then the body as it is. */
export function messageDetails(message: MessageRow): Details {
	const lines = [
		`id:        ${message.id}`,
		`time:      ${message.ts}`,
		`from:      ${message.from}`,
		`to:        ${message.to}`,
		`subject:   ${message.subject}`,
		`state:     ${message.state}${message.maybeDuplicate ? ' (may have been delivered twice)' : ''}`,
		`task:      ${message.taskStatus}`,
		`attempts:  ${message.attempts}`,
		...(message.deliveredAt ? [`delivered: ${message.deliveredAt}`] : []),
		...(message.lastError ? [`error:     ${message.lastError}`] : []),
		'',
		...(message.body === null ? ['(no body)'] : message.body.split('\n')),
	];
	return {title: `message ${message.subject}`, lines};
}

/** The alert's attachment (its matched lines); the stored sample when the file is gone. */
export async function alertDetails(alert: AlertRow): Promise<Details> {
	const title = `alert: ${alert.count} line(s) in ${alert.file}`;
	if (alert.attachment) {
		try {
			const text = await fs.readFile(alert.attachment, 'utf8');
			return {title: `${title} — ${alert.attachment}`, lines: text.replace(/\n+$/, '').split('\n')};
		} catch (error) {
			return {title, lines: [`(cannot read ${alert.attachment}: ${errorText(error)}; the stored sample follows)`, '', ...alert.sample.split('\n')]};
		}
	}

	return {title, lines: alert.sample.split('\n')};
}
