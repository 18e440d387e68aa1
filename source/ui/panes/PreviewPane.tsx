import React from 'react';
import {Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {activityCell, type Activity} from '../data/activity.js';
import {ago} from '../data/format.js';

/** The selected agent's last screen lines and its activity. */
export interface Preview {
	agent: string;
	lines: readonly string[];
	activity?: Activity;
	escalated: boolean;
	takenAt: number;
}

/** A pane beside the agents table: what the selected agent's screen shows now, with its state. */
export function PreviewPane({preview, height, width}: {preview?: Preview; height: number; width: number}) {
	const room = Math.max(0, height - 3);
	const activity = preview?.activity;
	const state = preview ? `${activityCell(activity, preview.escalated)}${activity ? ` since ${ago(activity.since, preview.takenAt)}${activity.source ? ` (${activity.source})` : ''}` : ''}${activity?.task ? ` · task ${activity.task}` : ''}${activity?.budget ? ` · budget ${activity.budget}` : ''}` : '';
	const title = preview ? `preview ${preview.agent}` : 'preview';
	return (
		<Pane title={title} titleLength={title.length} focused={false} height={height} width={width}>
			<Text wrap="truncate-end" bold>{preview ? state : 'select an agent'}</Text>
			{(preview?.lines ?? []).slice(-room).map((line, index) => <Text key={index} wrap="truncate-end">{line === '' ? ' ' : line}</Text>)}
		</Pane>
	);
}
