import path from 'node:path';
import type {Config} from '../config/schema.js';
import {defaultLogIgnore, defaultLogPatterns} from '../config/schema.js';

/** One watched log file, resolved. */
export interface LogTarget {
	/** As configured, relative to the project root (the name alerts use). */
	name: string;
	file: string;
	patterns: string[];
	ignore: string[];
	cooldown: number;
	/** Recipient of its alerts. */
	to: string;
}

/** The supervisor's name: the configured agent of type supervisor, else `supervisor`. */
export function supervisorName(config: Config): string {
	return config.agents.find(agent => agent.type === 'supervisor')?.name ?? 'supervisor';
}

/** The configured logs plus the managed server's log (with the default patterns) when not listed. */
export function logTargets(config: Config, root: string): LogTarget[] {
	const targets: LogTarget[] = config.logs.map(log => ({
		name: path.relative(root, path.resolve(root, log.path)) || log.path,
		file: path.resolve(root, log.path),
		patterns: log.patterns,
		ignore: log.ignore,
		cooldown: log.cooldown ?? config.alerts.cooldown,
		to: log.to ?? supervisorName(config),
	}));
	if (config.server) {
		const file = path.resolve(root, config.server.logFile);
		if (!targets.some(target => target.file === file)) {
			targets.push({
				name: path.relative(root, file),
				file,
				patterns: defaultLogPatterns,
				ignore: defaultLogIgnore,
				cooldown: config.alerts.cooldown,
				to: supervisorName(config),
			});
		}
	}

	return targets;
}
