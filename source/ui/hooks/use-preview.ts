import {useEffect, useState} from 'react';
import type {CmuxEvent} from '../../core/events.js';
import type {Api} from '../../core/api.js';
import {errorText} from '../../core/errors.js';

/** Fewest ms between two reads of the previewed pane, however many events arrive. */
const minimumGapMs = 500;

/**
 * The last `lines` lines of `agent`'s screen, read through the orchestrator when the selection
 * changes and again when an event about that agent arrives (its activity changed, it restarted):
 * driven by events, never by a polling loop.
 */
export function usePreview(api: Api, agent: string | undefined, lines: number, lastEvent: CmuxEvent | undefined, enabled: boolean): {agent: string; lines: string[]} | undefined {
	const [preview, setPreview] = useState<{agent: string; lines: string[]}>();
	const eventAgent = lastEvent && 'agent' in lastEvent && lastEvent.agent === agent ? lastEvent.ts : undefined;
	useEffect(() => {
		if (!enabled || !agent || !api.has('agents.pane')) {
			return;
		}

		let current = true;
		const timer = setTimeout(() => {
			api.call('agents.pane', {name: agent, lines}).then(({text}) => {
				if (current) {
					setPreview({agent, lines: text.replace(/\n+$/, '').split('\n')});
				}
			}, (error: unknown) => {
				if (current) {
					setPreview({agent, lines: [`cannot read the pane: ${errorText(error)}`]});
				}
			});
		}, eventAgent ? minimumGapMs : 0);
		return () => {
			current = false;
			clearTimeout(timer);
		};
	}, [api, agent, lines, eventAgent, enabled]);
	return enabled && preview?.agent === agent ? preview : undefined;
}
