import React from 'react';
import {Box} from 'ink';
import type {PaneRows} from '../data/rows.js';
import type {Snapshot} from '../data/snapshot.js';
import {paneHeights} from '../layout.js';
import {selectedIndex, type PaneId, type UiState} from '../state/ui-state.js';
import {agentColumns, alertColumns, messageColumns} from './columns.js';
import {HealthPane} from './HealthPane.js';
import {TablePane} from './TablePane.js';
import {TasksStrip, tasksStripHeight} from './TasksStrip.js';

export interface PanesProps {
	state: UiState;
	rows: PaneRows;
	snapshot: Snapshot;
	rate: readonly number[];
	height: number;
	width: number;
}

/** The four panes: agents and mailbox full width, alerts and health side by side below. */
export function Panes({state, rows, snapshot, rate, height, width}: PanesProps) {
	const strip = tasksStripHeight(snapshot.tasks, snapshot.cycles);
	const heights = paneHeights(height - strip);
	const common = (pane: Exclude<PaneId, 'health'>) => ({
		rows: rows[pane] as never,
		selected: selectedIndex(state, pane, rows[pane].length),
		focused: state.focus === pane,
		filter: state.filters[pane],
	});
	return (
		<Box flexDirection="column">
			<TablePane number={1} title="agents" columns={agentColumns} height={heights.agents} empty="no agents yet" {...common('agents')} />
			<TablePane number={2} title="mailbox" columns={messageColumns} height={heights.mailbox} empty="no messages yet" total={Object.values(snapshot.report.mailbox.byState).reduce((sum, count) => sum + count, 0)} {...common('mailbox')} />
			<Box>
				<TablePane number={3} title="alerts" columns={alertColumns} height={heights.bottom} empty="no alerts" total={snapshot.report.alerts.total} {...common('alerts')} />
				<HealthPane report={snapshot.report} rate={rate} focused={state.focus === 'health'} height={heights.bottom} width={healthWidth(width)} now={snapshot.takenAt} />
			</Box>
			<TasksStrip tasks={snapshot.tasks} cycles={snapshot.cycles} width={width} />
		</Box>
	);
}

/** The health pane gets under half the width (at least 48 columns); the alerts table takes the rest. */
function healthWidth(columns: number): number {
	return Math.min(76, Math.max(48, Math.floor(columns * 0.45)));
}
