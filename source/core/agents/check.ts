import {errorText} from '../errors.js';
import type {Check, CheckResult} from '../health/checks.js';
import {readRegistry} from '../registry/registry.js';
import {findPane} from './direct.js';
import {listPanes} from './windows.js';

/** `check`: every registered agent has a live window, every configured agent is running. */
export const agentsCheck: Check = async ({config, paths, tmux}) => {
	const read = readRegistry(paths.registryFile);
	if (read.corrupt !== undefined) {
		return [{name: 'agent registry', ok: false, detail: `${paths.registryFile} is corrupt (${read.corrupt}); the orchestrator moves it aside and rebuilds it`}];
	}

	const names = [...new Set([...config.agents.map(agent => agent.name), ...Object.keys(read.registry)])].sort();
	if (names.length === 0) {
		return [{name: 'agents', ok: true, detail: 'none configured or registered'}];
	}

	let panes;
	try {
		panes = await listPanes(tmux);
	} catch (error) {
		// Unreachable tmux says nothing about whether the agents run: report that, not "not running".
		return [{name: 'agents', ok: false, detail: `cannot check ${names.length} agent(s): ${errorText(error)}`}];
	}

	const results: CheckResult[] = [];
	for (const name of names) {
		const entry = read.registry[name];
		const pane = findPane(panes, config.session, name, entry);
		if (pane && !pane.dead) {
			results.push({name: `agent ${name}`, ok: true, detail: `running in ${pane.target} (pid ${pane.pid})`});
		} else if (pane) {
			results.push({name: `agent ${name}`, ok: false, detail: `zombie: the pane in ${pane.target} is dead (exit ${pane.deadStatus ?? '?'})`});
		} else {
			results.push({name: `agent ${name}`, ok: false, detail: entry ? `registered but its window ${entry.window ?? '?'} is gone (stale)` : 'configured but not running'});
		}
	}

	return results;
};

/** `doctor`: registry entries whose window is gone (stale), named so they can be removed. */
export const staleEntriesCheck: Check = async ({config, paths, tmux}) => {
	const read = readRegistry(paths.registryFile);
	if (read.corrupt !== undefined) {
		return [{name: 'agent registry', ok: false, detail: `corrupt (${read.corrupt}): the next orchestrator start moves it aside and rebuilds it`}];
	}

	if (Object.keys(read.registry).length === 0) {
		return [{name: 'stale registry entries', ok: true, detail: 'none (0 registered)'}];
	}

	let panes;
	try {
		panes = await listPanes(tmux);
	} catch (error) {
		return [{name: 'stale registry entries', ok: false, warning: true, detail: `cannot check: ${errorText(error)}`}];
	}

	const stale = Object.values(read.registry).filter(entry => !findPane(panes, config.session, entry.name, entry));
	return [stale.length === 0
		? {name: 'stale registry entries', ok: true, detail: `none (${Object.keys(read.registry).length} registered)`}
		: {name: 'stale registry entries', ok: false, warning: true, detail: `${stale.map(entry => `${entry.name} (${entry.window ?? '?'})`).join(', ')}: windows gone; removed by the running orchestrator, or \`cmux-tui unregister NAME\``}];
};
