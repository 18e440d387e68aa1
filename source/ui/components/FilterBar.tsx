import React from 'react';
import {Text} from 'ink';

/** The filter being typed for the focused pane (height 1). */
export function FilterBar({pane, filter}: {pane: string; filter: string}) {
	return <Text wrap="truncate-end"><Text bold>/</Text>{filter}<Text inverse> </Text><Text dimColor>  filter {pane} · enter keeps · esc clears</Text></Text>;
}
