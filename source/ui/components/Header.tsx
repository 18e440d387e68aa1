import path from 'node:path';
import React from 'react';
import {Text} from 'ink';
import {needsPerson, stateCounts, type Activity} from '../data/activity.js';
import {clockTime, shortDuration} from '../data/format.js';
import {useTone} from '../theme.js';

export interface HeaderProps {
	root: string;
	session: string;
	socket?: string;
	/** Milliseconds the orchestrator has run. */
	uptime: number;
	activity: ReadonlyMap<string, Activity>;
	escalated: ReadonlySet<string>;
	agents: readonly string[];
	now: number;
}

/** One line: project, session, socket, uptime, who needs you, counts by activity state, the time. */
export function Header({root, session, socket, uptime, activity, escalated, agents, now}: HeaderProps) {
	const tone = useTone();
	const waiting = agents.filter(name => needsPerson(activity.get(name), escalated.has(name))).length;
	const counts = stateCounts(agents.map(name => activity.get(name)));
	// Minutes only: the idle TUI redraws every 10 s, so seconds would stand still.
	const time = clockTime(new Date(now).toISOString()).slice(0, 5);
	return (
		<Text wrap="truncate-end">
			<Text bold color={tone('accent')}>cmux-tui</Text>
			<Text>{` ${path.basename(root)} · ${session}${socket ? ` @${socket}` : ''} · up ${shortDuration(uptime)} · `}</Text>
			{waiting > 0 ? <Text bold inverse color={tone('bad')}>{` ${waiting} need${waiting === 1 ? 's' : ''} you `}</Text> : <Text dimColor>nobody waits</Text>}
			{counts.map(count => <Text key={count.state} color={tone(count.tone)}>{`  ${count.symbol}${count.count} ${count.state.replace('_', ' ')}`}</Text>)}
			<Text dimColor>{`  ${time}`}</Text>
		</Text>
	);
}
