import {emptySendForm, sendFormReducer, type SendForm, type SendFormAction} from './send-form.js';

export type PaneId = 'agents' | 'mailbox' | 'alerts' | 'health';

/** In screen order: `tab` walks it, `1`–`4` index it. */
export const paneOrder: readonly PaneId[] = ['agents', 'mailbox', 'alerts', 'health'];

/** A selection past the last row: follow the newest row as rows arrive. */
export const followTail = Number.MAX_SAFE_INTEGER;

/** A question the user answers with y/n before `command` runs. */
export type PendingAction = {kind: 'kill' | 'force-kill' | 'restart' | 'approve' | 'deny' | 'interrupt'; agent: string} | {kind: 'stop-all'};

/** A table's sort: by `column`, or (undefined) the pane's natural order. */
export type Sort = {column: number; descending: boolean};

export type Overlay =
	| {kind: 'none'}
	| {kind: 'help'}
	| {kind: 'filter'}
	| {kind: 'confirm'; question: string; action: PendingAction}
	| {kind: 'send'; form: SendForm}
	| {kind: 'details'; title: string; lines: readonly string[]; follow: 'top' | 'bottom'; scroll: number};

export interface UiState {
	focus: PaneId;
	/** Row index per pane; `followTail` sticks to the last row. */
	selected: Record<PaneId, number>;
	filters: Record<PaneId, string>;
	sort: Partial<Record<PaneId, Sort>>;
	overlay: Overlay;
	notice?: string;
	/** Bumped with every notice, so a timer clears only the notice it was set for. */
	noticeId: number;
}

export type UiAction =
	| {type: 'next-pane'}
	| {type: 'focus'; pane: PaneId}
	| {type: 'move'; delta: number; count: number}
	/** Select row `index` of `pane` (a mouse click) and focus the pane. */
	| {type: 'select'; pane: PaneId; index: number; count: number}
	/** Sort the focused table by its next column (`reverse`: flip the direction instead). */
	| {type: 'sort'; columns: number; reverse?: boolean}
	/** Clear the notice if it is still notice `id`. */
	| {type: 'clear-notice'; id: number}
	| {type: 'open-help'}
	| {type: 'close-overlay'}
	| {type: 'open-filter'}
	| {type: 'filter-type'; text: string}
	| {type: 'filter-backspace'}
	| {type: 'filter-clear'}
	| {type: 'confirm'; question: string; action: PendingAction}
	| {type: 'open-send'; to: string}
	| {type: 'send-form'; action: SendFormAction}
	| {type: 'details'; title: string; lines: readonly string[]; follow?: 'top' | 'bottom'}
	/** Scroll the details view; positive is towards the end. */
	| {type: 'scroll'; delta: number}
	| {type: 'notice'; text: string | undefined};

export const initialUiState: UiState = {
	focus: 'agents',
	selected: {agents: 0, mailbox: followTail, alerts: followTail, health: 0},
	filters: {agents: '', mailbox: '', alerts: '', health: ''},
	sort: {},
	overlay: {kind: 'none'},
	noticeId: 0,
};

/** The selected row index for a pane showing `count` rows (-1 when there are none). */
export function selectedIndex(state: UiState, pane: PaneId, count: number): number {
	return count === 0 ? -1 : Math.min(state.selected[pane], count - 1);
}

/** All UI state changes. Pure: tested without Ink. */
export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'next-pane': {
			const next = paneOrder[(paneOrder.indexOf(state.focus) + 1) % paneOrder.length]!;
			return {...state, focus: next, notice: undefined};
		}

		case 'focus': {
			return {...state, focus: action.pane, notice: undefined};
		}

		case 'move': {
			if (action.count === 0) {
				return state;
			}

			const current = Math.min(state.selected[state.focus], action.count - 1);
			const next = Math.max(0, Math.min(action.count - 1, current + action.delta));
			const stored = next === action.count - 1 && state.focus !== 'agents' ? followTail : next;
			return {...state, selected: {...state.selected, [state.focus]: stored}};
		}

		case 'select': {
			if (action.count === 0) {
				return {...state, focus: action.pane};
			}

			const index = Math.max(0, Math.min(action.count - 1, action.index));
			const stored = index === action.count - 1 && action.pane !== 'agents' ? followTail : index;
			return {...state, focus: action.pane, selected: {...state.selected, [action.pane]: stored}};
		}

		case 'sort': {
			return {...state, sort: {...state.sort, [state.focus]: nextSort(state.sort[state.focus], action.columns, action.reverse)}};
		}

		case 'clear-notice': {
			return state.noticeId === action.id ? {...state, notice: undefined} : state;
		}

		case 'open-help': {
			return {...state, overlay: {kind: 'help'}};
		}

		case 'close-overlay': {
			return {...state, overlay: {kind: 'none'}};
		}

		case 'open-filter': {
			return {...state, overlay: {kind: 'filter'}};
		}

		case 'filter-type': {
			return withFilter(state, state.filters[state.focus] + action.text);
		}

		case 'filter-backspace': {
			return withFilter(state, state.filters[state.focus].slice(0, -1));
		}

		case 'filter-clear': {
			return {...withFilter(state, ''), overlay: {kind: 'none'}};
		}

		case 'confirm': {
			return {...state, overlay: {kind: 'confirm', question: action.question, action: action.action}};
		}

		case 'open-send': {
			return {...state, overlay: {kind: 'send', form: {...emptySendForm, to: action.to}}};
		}

		case 'send-form': {
			return state.overlay.kind === 'send'
				? {...state, overlay: {kind: 'send', form: sendFormReducer(state.overlay.form, action.action)}}
				: state;
		}

		case 'details': {
			return {...state, overlay: {kind: 'details', title: action.title, lines: action.lines, follow: action.follow ?? 'top', scroll: 0}};
		}

		case 'scroll': {
			if (state.overlay.kind !== 'details') {
				return state;
			}

			// `scroll` counts lines away from the end the view is anchored to, never below zero.
			const towardsEnd = state.overlay.follow === 'top' ? action.delta : -action.delta;
			const scroll = Math.max(0, Math.min(state.overlay.lines.length, state.overlay.scroll + towardsEnd));
			return {...state, overlay: {...state.overlay, scroll}};
		}

		case 'notice': {
			return {...state, notice: action.text, noticeId: state.noticeId + 1};
		}
	}
}

/** `o` walks the columns (natural order, then each column); `O` flips the direction. */
function nextSort(current: Sort | undefined, columns: number, reverse?: boolean): Sort | undefined {
	if (reverse) {
		return {column: current?.column ?? 0, descending: !(current?.descending ?? false)};
	}

	if (!current) {
		return {column: 0, descending: false};
	}

	return current.column + 1 < columns ? {column: current.column + 1, descending: false} : undefined;
}

/** A new filter also resets the selection: row indexes of the old filter mean nothing. */
function withFilter(state: UiState, filter: string): UiState {
	return {
		...state,
		filters: {...state.filters, [state.focus]: filter},
		selected: {...state.selected, [state.focus]: initialUiState.selected[state.focus]},
	};
}
