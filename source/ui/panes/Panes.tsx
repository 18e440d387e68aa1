import React from 'react';
import {Box, Text} from 'ink';
import type {PaneRows} from '../data/rows.js';
import type {Snapshot} from '../data/snapshot.js';
import type {ScreenLayout} from '../layout.js';
import {paneOrder, selectedIndex, type PaneId, type UiState} from '../state/ui-state.js';
import {agentColumns, alertColumns, messageColumns} from './columns.js';
import {HealthPane} from './HealthPane.js';
import {PreviewPane, type Preview} from './PreviewPane.js';
import {TablePane} from './TablePane.js';

export interface PanesProps {
	state: UiState;
	rows: PaneRows;
	snapshot: Snapshot;
	rate: readonly number[];
	layout: ScreenLayout;
	preview?: Preview;
}

const titles: Record<PaneId, string> = {agents: 'agents', mailbox: 'mailbox', alerts: 'alerts', health: 'health'};

/** The panes as the layout places them: all at once (split) or the focused one under a tab bar (tabs). */
export function Panes({state, rows, snapshot, rate, layout, preview}: PanesProps) {
	const pane = (id: PaneId) => {
		const rect = layout.panes[id];
		if (!rect) {
			return null;
		}

		const tabs = layout.mode === 'tabs';
		const title = tabs ? <TabBar focus={id} /> : `${paneOrder.indexOf(id) + 1} ${titles[id]}`;
		const titleLength = tabs ? tabBarLength : `${paneOrder.indexOf(id) + 1} ${titles[id]}`.length;
		const focused = state.focus === id;
		if (id === 'health') {
			return <HealthPane key={id} title={title} titleLength={titleLength} report={snapshot.report} rate={rate} focused={focused} height={rect.height} width={rect.width} now={snapshot.takenAt} />;
		}

		const common = {
			title, titleLength, focused, height: rect.height, width: rect.width,
			rows: rows[id] as never,
			selected: selectedIndex(state, id, rows[id].length),
			filter: state.filters[id],
			sort: state.sort[id],
		};
		return id === 'agents'
			? <TablePane key={id} columns={agentColumns} empty="no agents yet" {...common} />
			: id === 'mailbox'
				? <TablePane key={id} columns={messageColumns} empty="no messages yet" total={Object.values(snapshot.report.mailbox.byState).reduce((sum, count) => sum + count, 0)} {...common} />
				: <TablePane key={id} columns={alertColumns} empty="no alerts" total={snapshot.report.alerts.total} {...common} />;
	};

	if (layout.mode === 'tabs') {
		return <Box height={layout.main} flexDirection="column">{pane(state.focus)}</Box>;
	}

	return (
		<Box flexDirection="column" height={layout.main}>
			<Box>
				{pane('agents')}
				{layout.preview ? <PreviewPane preview={preview} height={layout.preview.height} width={layout.preview.width} /> : null}
			</Box>
			{pane('mailbox')}
			<Box>
				{pane('alerts')}
				{pane('health')}
			</Box>
		</Box>
	);
}

const tabBarText = paneOrder.map((id, index) => ` ${index + 1} ${titles[id]} `).join('');
const tabBarLength = tabBarText.length;

/** `1 agents  2 mailbox  3 alerts  4 health` with the shown one inverse (and bracketed for no colour). */
function TabBar({focus}: {focus: PaneId}) {
	return (
		<Text>
			{paneOrder.map((id, index) => id === focus
				? <Text key={id} inverse>[{index + 1} {titles[id]}]</Text>
				: <Text key={id} bold={false}>{` ${index + 1} ${titles[id]} `}</Text>)}
		</Text>
	);
}
