import {useEffect, useState} from 'react';
import {errorText} from '../../core/errors.js';
import type {CmuxEvent} from '../../core/events.js';
import type {Orchestrator} from '../../core/orchestrator.js';

/** Fewest ms between two reads of the previewed pane, however much output or how many events arrive. */
const minimumGapMs = 500;

/**
 * The last `lines` lines of `agent`'s screen, read through the orchestrator when the selection
 * changes, and again (at most every 500 ms) when its pane produces output — tmux's `%output` on
 * the control connection, passed on by supervision — or an event about it arrives: driven by what
 * happens, never by a polling loop.
 */
export function usePreview(orchestrator: Orchestrator, agent: string | undefined, lines: number, enabled: boolean): {agent: string; lines: string[]} | undefined {
	const [preview, setPreview] = useState<{agent: string; lines: string[]}>();
	const {api} = orchestrator;
	useEffect(() => {
		if (!enabled || !agent || !api.has('agents.pane')) {
			return;
		}

		let current = true;
		let timer: NodeJS.Timeout | undefined;
		let reading = false;
		let lastRead = 0;
		const read = () => {
			timer = undefined;
			reading = true;
			lastRead = Date.now();
			api.call('agents.pane', {name: agent, lines}).then(({text}) => {
				if (current) {
					setPreview({agent, lines: text.replace(/\n+$/, '').split('\n')});
				}
			}, (error: unknown) => {
				if (current) {
					setPreview({agent, lines: [`cannot read the pane: ${errorText(error)}`]});
				}
			}).finally(() => {
				reading = false;
			});
		};

		// One read at a time and at most one waiting: a flood of output costs two reads a second.
		const changed = (name: string) => {
			if (name === agent && timer === undefined && current) {
				timer = setTimeout(read, reading ? minimumGapMs : Math.max(0, lastRead + minimumGapMs - Date.now()));
			}
		};

		const onEvent = (event: CmuxEvent) => {
			if ('agent' in event && typeof event.agent === 'string') {
				changed(event.agent);
			}
		};

		orchestrator.on('output', changed);
		orchestrator.on('event', onEvent);
		read();
		return () => {
			current = false;
			clearTimeout(timer);
			orchestrator.off('output', changed);
			orchestrator.off('event', onEvent);
		};
	}, [orchestrator, api, agent, lines, enabled]);
	return enabled && preview?.agent === agent ? preview : undefined;
}
