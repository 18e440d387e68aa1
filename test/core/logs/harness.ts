import fs from 'node:fs';
import path from 'node:path';
import {validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import type {CmuxEvent} from '../../../source/core/events.js';
import {nullLogger} from '../../../source/core/logger.js';
import {LogWatch} from '../../../source/core/logs/log-watch.js';
import {Orchestrator} from '../../../source/core/orchestrator.js';
import {Store} from '../../../source/core/store/store.js';
import {makeProject} from '../../helpers/project.js';

type LogAlert = Extract<CmuxEvent, {type: 'log.alert'}>;

/** A real orchestrator with only the log watcher, on a real temp project and real SQLite. */
export interface Watch {
	root: string;
	store: Store;
	orchestrator: Orchestrator;
	events: CmuxEvent[];
	alerts(): LogAlert[];
	/** Sum of `count` over the log alerts so far. */
	total(): number;
	stop(): Promise<void>;
}

/** A temp project folder with `.cmux/`; `cleanup` removes it. */
export function tempProject(): {root: string; cleanup: () => void} {
	const project = makeProject({healthPort: 0});
	fs.mkdirSync(path.join(project.root, 'logs'));
	return project;
}

export async function startWatch(root: string, raw: Record<string, unknown>): Promise<Watch> {
	const config = validateConfig({healthPort: 0, ...raw});
	const paths = resolvePaths(root, config.mailbox.path);
	const store = Store.open(paths.dbFile);
	const orchestrator = new Orchestrator({
		config,
		paths,
		store,
		tmux: {run: async () => [], close: async () => undefined},
		log: nullLogger,
		factories: [context => new LogWatch(context)],
	});
	const events: CmuxEvent[] = [];
	orchestrator.on('event', event => {
		events.push(event);
	});
	await orchestrator.start();
	const alerts = () => events.filter((event): event is LogAlert => event.type === 'log.alert');
	return {
		root,
		store,
		orchestrator,
		events,
		alerts,
		total: () => alerts().reduce((sum, alert) => sum + alert.count, 0),
		async stop() {
			await orchestrator.stop();
			store.close();
		},
	};
}

/** Append text to a file (creating it). */
export function append(file: string, text: string): void {
	fs.appendFileSync(file, text);
}
