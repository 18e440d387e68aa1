import React from 'react';
import {Box, Text} from 'ink';
import {sendFields, type SendForm} from '../state/send-form.js';
import {useTone} from '../theme.js';

/** The send dialog (height 7): three fields, the focused one with a cursor. */
export function SendDialog({form}: {form: SendForm}) {
	const tone = useTone();
	const status = form.sending ? 'sending…' : form.error ?? 'tab next field · enter on body sends · esc cancels';
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={tone('accent')} paddingX={1}>
			<Text bold>send a message as user</Text>
			{sendFields.map(field => (
				<Box key={field}>
					<Box width={10} flexShrink={0}><Text bold={form.field === field}>{form.field === field ? '›' : ' '} {field}</Text></Box>
					<Text wrap="truncate-start">{form[field]}{form.field === field ? <Text inverse> </Text> : null}</Text>
				</Box>
			))}
			<Text wrap="truncate-end" color={form.error ? tone('bad') : undefined} dimColor={!form.error}>{status}</Text>
		</Box>
	);
}
