import type {AgentConfig, Config} from '../config/schema.js';
import type {TmuxClient} from '../tmux/client.js';
import {classifyScreen, compileProfile, type CompiledProfile} from './patterns/classify.js';
import type {AgentKind} from './patterns/profiles.js';
import type {ActivityState} from './states.js';

/** The tmux target of an agent's pane: its window, named after it, in the project's session. */
export function agentTarget(config: Config, agent: string): string {
	return `=${config.session}:=${agent}`;
}

/** Reads an agent's visible pane and says what its patterns find there. */
export class PaneChecker {
	private readonly profiles = new Map<string, CompiledProfile>();

	constructor(private readonly tmux: TmuxClient, private readonly config: Config) {}

	/** The agent's configuration, if it has one. */
	agentConfig(agent: string): AgentConfig | undefined {
		return this.config.agents.find(entry => entry.name === agent);
	}

	kind(agent: string): AgentKind {
		return this.agentConfig(agent)?.kind ?? 'generic';
	}

	profile(agent: string): CompiledProfile {
		let profile = this.profiles.get(agent);
		if (!profile) {
			const config = this.agentConfig(agent);
			profile = compileProfile(config?.kind ?? 'generic', config?.patterns ?? {}, config?.prompt);
			this.profiles.set(agent, profile);
		}

		return profile;
	}

	/** The visible screen (no history) of the agent's pane. */
	async screen(agent: string): Promise<string> {
		return (await this.tmux.run(['capture-pane', '-p', '-t', agentTarget(this.config, agent)])).join('\n');
	}

	/** What the visible pane shows, or undefined when no pattern matches. Rejects when the pane is gone. */
	async check(agent: string): Promise<{state: ActivityState; pattern: string} | undefined> {
		return classifyScreen(this.profile(agent), await this.screen(agent));
	}
}
