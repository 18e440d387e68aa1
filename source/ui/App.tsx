import React, {useEffect, useMemo, useReducer} from 'react';
import {Box, useStdout} from 'ink';
import type {Orchestrator} from '../core/orchestrator.js';
import {submitMessage, type CommandContext, type UiResult} from './commands.js';
import {DetailsView} from './components/DetailsView.js';
import {Footer} from './components/Footer.js';
import {Header} from './components/Header.js';
import {SendDialog} from './components/SendDialog.js';
import {columnWidths} from './components/table-columns.js';
import {paneRows} from './data/rows.js';
import {errorText} from '../core/errors.js';
import {useAppInput} from './hooks/use-app-input.js';
import {useLiveView} from './hooks/use-live-view.js';
import {usePreview} from './hooks/use-preview.js';
import {useUsage} from './hooks/use-usage.js';
import {footerFor} from './input/footer.js';
import {keyHandlerFor} from './input/route.js';
import {mouseHandler} from './input/mouse.js';
import {screenLayout} from './layout.js';
import {agentColumns, usageColumns} from './panes/columns.js';
import {Panes} from './panes/Panes.js';
import {TasksStrip, tasksStripHeight} from './panes/TasksStrip.js';
import {initialUiState, selectedIndex, uiReducer} from './state/ui-state.js';

export interface AppProps {
	orchestrator: Orchestrator;
	onExit(result: UiResult): void;
	/** Renders at most once per this many ms while events stream in (default 100). */
	renderIntervalMs?: number;
}

/** How long a notice stays (a question stays until answered). */
const noticeMs = 6000;
const sendDialogLines = 7;

/** The TUI: header, panes (split or tabs by size), dialogs, the footer. Wiring only; parts live in panes/, components/, hooks/. */
export function App({orchestrator, onExit, renderIntervalMs}: AppProps) {
	const [state, dispatch] = useReducer(uiReducer, initialUiState);
	const {snapshot, rate} = useLiveView(orchestrator, renderIntervalMs);
	const {stdout} = useStdout();
	const columns = stdout.columns || 100;
	const terminalRows = stdout.rows || 40;
	const {overlay} = state;
	// The tasks strip (when tasks exist) takes its lines below the panes, like a dialog.
	const strip = overlay.kind === 'none' ? tasksStripHeight(snapshot.tasks, snapshot.cycles) : 0;
	const layout = screenLayout(columns, terminalRows, (overlay.kind === 'send' ? sendDialogLines : 0) + strip, state.focus);
	const agentsRect = layout.panes.agents;
	const pids = useMemo(() => snapshot.agents.flatMap(agent => agent.pid === null ? [] : [agent.pid]), [snapshot.agents]);
	const usageShown = agentsRect !== undefined && overlay.kind !== 'details' && columnWidths(agentColumns, [], agentsRect.width - 4).some(([index]) => index === usageColumns.cpu);
	const usage = useUsage(pids, usageShown);
	const filtered = useMemo(() => paneRows(snapshot, state.filters, state.sort, usage), [snapshot, state.filters, state.sort, usage]);
	const selectedAgent = filtered.agents[selectedIndex(state, 'agents', filtered.agents.length)]?.item.name;
	const previewLines = Math.max(1, (layout.preview?.height ?? 0) - 3);
	const paneText = usePreview(orchestrator, selectedAgent, previewLines, layout.preview !== undefined && overlay.kind === 'none');
	const context: CommandContext = {state, rows: filtered, orchestrator, dispatch, exit: onExit, detailLines: Math.max(5, layout.main - 3)};

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

	// Notices clear by themselves; one that is still in progress (`…`) waits for its result.
	const {notice, noticeId} = state;
	useEffect(() => {
		if (!notice || notice.endsWith('…')) {
			return;
		}

		const timer = setTimeout(() => {
			dispatch({type: 'clear-notice', id: noticeId});
		}, noticeMs);
		return () => {
			clearTimeout(timer);
		};
	}, [notice, noticeId]);

	useAppInput(keyHandlerFor(context), mouseHandler(context, layout));
	const footer = footerFor(state, orchestrator.api, selectedAgent ? snapshot.activity.get(selectedAgent)?.state : undefined);
	const {config, paths} = orchestrator.context;
	return (
		<Box flexDirection="column" width={columns} height={layout.lines}>
			<Header root={paths.root} session={config.session} socket={config.tmuxSocket} uptime={process.uptime() * 1000} activity={snapshot.activity} escalated={snapshot.escalated} agents={snapshot.agents.map(agent => agent.name)} now={snapshot.takenAt} />
			{overlay.kind === 'details'
				? <DetailsView title={overlay.title} lines={overlay.lines} height={layout.main} width={columns} follow={overlay.follow} scroll={overlay.scroll} />
				: <Panes state={state} rows={filtered} snapshot={snapshot} rate={rate} layout={layout} preview={paneText && selectedAgent ? {...paneText, agent: selectedAgent, activity: snapshot.activity.get(selectedAgent), escalated: snapshot.escalated.has(selectedAgent), takenAt: snapshot.takenAt} : undefined} />}
			{overlay.kind === 'send' ? <SendDialog form={overlay.form} /> : null}
			{strip > 0 ? <TasksStrip tasks={snapshot.tasks} cycles={snapshot.cycles} width={columns} /> : null}
			<Footer notice={footer.notice ?? state.notice} noticeTone={footer.notice ? 'accent' : 'warn'} hints={footer.hints} width={columns} />
		</Box>
	);
}
