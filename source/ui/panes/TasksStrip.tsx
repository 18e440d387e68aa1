import React from 'react';
import {Box, Text} from 'ink';
import type {StandingCycle} from '../../core/tasks/cycles.js';
import type {TaskLine} from '../data/tasks.js';

const colorOf: Record<string, string> = {done: 'green', failed: 'red', blocked: 'red', review: 'yellow', in_progress: 'cyan'};

function age(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	return seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m` : `${Math.floor(seconds / 3600)}h`;
}

/** Lines the strip takes: nothing without tasks or cycles; a title, the tasks and one line per cycle. */
export function tasksStripHeight(tasks: readonly TaskLine[], cycles: readonly StandingCycle[]): number {
	return tasks.length === 0 && cycles.length === 0 ? 0 : 1 + tasks.length + cycles.length;
}

/** Tasks at a glance (state, agent, age, budget used) and a banner while a deadlock or livelock stands. */
export function TasksStrip({tasks, cycles, width}: {tasks: readonly TaskLine[]; cycles: readonly StandingCycle[]; width: number}) {
	if (tasks.length === 0 && cycles.length === 0) {
		return null;
	}

	return (
		<Box flexDirection="column" width={width}>
			{cycles.map(cycle => (
				<Text key={`${cycle.kind}:${cycle.agents.join(',')}`} backgroundColor="red" color="white" bold wrap="truncate">
					{` ${cycle.kind.toUpperCase()}: ${cycle.agents.join(' → ')} → ${cycle.agents[0]!}${cycle.tasks.length > 0 ? ` (tasks ${cycle.tasks.join(', ')})` : ''} since ${cycle.since.slice(11, 19)} `}
				</Text>
			))}
			<Text bold>tasks</Text>
			{tasks.map(task => (
				<Text key={task.id} wrap="truncate">
					{task.id.padEnd(6)}
					<Text color={colorOf[task.state]}>{task.state.padEnd(12)}</Text>
					{task.agent.padEnd(14)}
					{age(task.ageMs).padStart(5)}
					<Text color={task.budget >= 1 ? 'red' : task.budget >= 0.8 ? 'yellow' : undefined}>{`${Math.round(task.budget * 100)}%`.padStart(6)}</Text>
					{`  ${task.title}`}
				</Text>
			))}
		</Box>
	);
}
