import type {Config} from '../config/schema.js';
import type {Paths} from '../config/paths.js';
import {contextFile} from '../supervision/wiring.js';

/**
 * The environment CMUX gives its agents (tools/workers, monitor.sh), so CMUX's tools run inside
 * an agent cmux-tui started: `CMUX_PORT` is the health port, which answers CMUX's agent-facing API
 * (no port when the health port is off: CMUX's tools then report the API unavailable).
 */
export function cmuxAgentEnv(options: {config: Config; paths: Paths; name: string; type: string; agentId: string; role?: string}): Record<string, string> {
	const {config, paths, name, type, agentId} = options;
	return {
		CMUX_AGENT: 'true',
		CMUX_AGENT_ID: agentId,
		CMUX_AGENT_NAME: name,
		CMUX_AGENT_ROLE: options.role ?? (type === 'supervisor' ? 'supervisor' : 'worker'),
		CMUX_SESSION: config.session,
		CMUX_HOME: paths.root,
		CMUX_MAILBOX: paths.mailboxFile,
		...(config.healthPort > 0 ? {CMUX_PORT: String(config.healthPort)} : {}),
		// With tasks.compactAt, a Claude Code agent's status line writes its context use here (wiring.ts).
		...(config.tasks.compactAt === undefined ? {} : {CMUX_CONTEXT_FILE: contextFile(paths.root, name)}),
	};
}
