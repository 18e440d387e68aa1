import type {Column} from '../components/Table.js';

export const agentColumns: readonly Column[] = [
	{title: 'name', grow: 2},
	{title: 'type', width: 10},
	{title: 'state', width: 10, state: true},
	{title: 'pid', width: 7, align: 'right'},
	{title: 'uptime', width: 7, align: 'right'},
	{title: 'restarts', width: 8, align: 'right'},
	{title: 'last activity', width: 13},
];

export const messageColumns: readonly Column[] = [
	{title: 'time', width: 8},
	{title: 'from → to', grow: 2},
	{title: 'subject', grow: 3},
	{title: 'state', width: 10, state: true},
];

export const alertColumns: readonly Column[] = [
	{title: 'time', width: 8},
	{title: 'file', grow: 1},
	{title: 'count', width: 5, align: 'right'},
	{title: 'first line', grow: 1},
];
