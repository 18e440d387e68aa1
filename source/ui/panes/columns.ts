import type {Column} from '../components/Table.js';

/** Agents: the activity (who needs you) right after the name; cpu and mem only when shown. */
export const agentColumns: readonly Column[] = [
	{title: 'name', min: 4, max: 24},
	{title: 'activity', min: 8, max: 12, state: true},
	{title: 'state', min: 5, max: 10, optional: true},
	{title: 'type', max: 10, optional: true},
	{title: 'pid', align: 'right', optional: true},
	{title: 'cpu', align: 'right', min: 4, optional: true},
	{title: 'mem', align: 'right', min: 5, optional: true},
	{title: 'up', align: 'right', min: 3},
	{title: 'rst', align: 'right', optional: true},
	{title: 'last activity', grow: 1, min: 8},
];

/** The indexes of the cpu and mem columns (sampled only while they are on screen). */
export const usageColumns = {cpu: 5, mem: 6};

export const messageColumns: readonly Column[] = [
	{title: 'time', min: 8, max: 8},
	{title: 'from → to', min: 8, max: 40},
	{title: 'subject', grow: 1, min: 8},
	{title: 'state', min: 5, max: 10, state: true},
];

export const alertColumns: readonly Column[] = [
	{title: 'time', min: 8, max: 8},
	{title: 'file', min: 4, max: 30},
	{title: 'count', align: 'right'},
	{title: 'first line', grow: 1, min: 8},
];
