import React from 'react';
import {Box, Text} from 'ink';
import {useTone} from '../theme.js';
import {fitHints, type Hint} from './footer-hints.js';

export interface FooterProps {
	/** The result of the last action, or a question (confirm, filter); cleared after a while. */
	notice?: string;
	noticeTone?: 'warn' | 'accent';
	/** The keys valid in the current view. */
	hints: readonly Hint[];
	width: number;
}

/** A notice line and one line of the key hints that fit, generated from the keymap. */
export function Footer({notice, noticeTone = 'warn', hints, width}: FooterProps) {
	const tone = useTone();
	const shown = fitHints(hints, width);
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end" color={tone(noticeTone)}>{notice ?? ' '}</Text>
			<Text wrap="truncate-end">
				{shown.map((hint, index) => (
					<Text key={hint.label + hint.hint}>
						{index > 0 ? <Text dimColor> · </Text> : null}
						<Text bold color={tone('accent')}>{hint.label}</Text>
						<Text> {hint.hint}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
