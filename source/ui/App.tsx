import React, {useEffect, useMemo, useReducer} from 'react';
import {Box, useStdout} from 'ink';
import type {Orchestrator} from '../core/orchestrator.js';
import {submitMessage, type CommandContext, type UiResult} from './commands.js';
import {ConfirmDialog} from './components/ConfirmDialog.js';
import {DetailsView} from './components/DetailsView.js';
import {FilterBar} from './components/FilterBar.js';
import {Footer} from './components/Footer.js';
import {HelpOverlay} from './components/HelpOverlay.js';
import {SendDialog} from './components/SendDialog.js';
import {paneRows} from './data/rows.js';
import {errorText} from '../core/errors.js';
import {useAppInput} from './hooks/use-app-input.js';
import {useSnapshot} from './hooks/use-snapshot.js';
import {dialogHeight, footerHeight} from './layout.js';
import {keyHandlerFor} from './input/route.js';
import {Panes} from './panes/Panes.js';
import {initialUiState, uiReducer} from './state/ui-state.js';

export interface AppProps {
	orchestrator: Orchestrator;
	onExit(result: UiResult): void;
	/** Store reads and renders at most once per this many ms (default 50: ~20 a second). */
	renderIntervalMs?: number;
}

/** The TUI: four panes over the store, dialogs, and the footer. Wiring only; parts live in panes/, components/, hooks/. */
export function App({orchestrator, onExit, renderIntervalMs}: AppProps) {
	const [state, dispatch] = useReducer(uiReducer, initialUiState);
	const {snapshot, rate} = useSnapshot(orchestrator, renderIntervalMs);
	const {stdout} = useStdout();
	const columns = stdout.columns || 100;
	const rows = stdout.rows || 40;
	const filtered = useMemo(() => paneRows(snapshot, state.filters), [snapshot, state.filters]);
	const {overlay} = state;
	const mainHeight = Math.max(16, rows - 1 - footerHeight(columns) - dialogHeight(overlay));
	const context: CommandContext = {state, rows: filtered, orchestrator, dispatch, exit: onExit, detailLines: Math.max(5, mainHeight - 3)};

	// The dialog's reducer marks a valid form `sending`; the message leaves from here, once.
	const sending = overlay.kind === 'send' && overlay.form.sending ? overlay.form : undefined;
	useEffect(() => {
		if (!sending) {
			return;
		}

		submitMessage(sending, orchestrator).then(() => {
			dispatch({type: 'close-overlay'});
			dispatch({type: 'notice', text: `sent "${sending.subject.trim()}" to ${sending.to.trim()}`});
		}, (error: unknown) => {
			dispatch({type: 'send-form', action: {type: 'error', message: `cannot send: ${errorText(error)}`}});
		});
	}, [sending, orchestrator]);

	useAppInput(keyHandlerFor(context));

	return (
		<Box flexDirection="column" width={columns}>
			{overlay.kind === 'help'
				? <HelpOverlay api={orchestrator.api} height={mainHeight} />
				: overlay.kind === 'details'
					? <DetailsView title={overlay.title} lines={overlay.lines} height={mainHeight} follow={overlay.follow} scroll={overlay.scroll} />
					: <Panes state={state} rows={filtered} snapshot={snapshot} rate={rate} height={mainHeight} width={columns} />}
			{overlay.kind === 'filter' ? <FilterBar pane={state.focus} filter={state.filters[state.focus]} /> : null}
			{overlay.kind === 'confirm' ? <ConfirmDialog question={overlay.question} /> : null}
			{overlay.kind === 'send' ? <SendDialog form={overlay.form} /> : null}
			<Footer notice={state.notice} />
		</Box>
	);
}
