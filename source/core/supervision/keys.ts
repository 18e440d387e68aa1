import type {AgentKind} from './patterns/profiles.js';

/** One step of a key sequence: text typed literally (`send-keys -l`), or a tmux key name (a constant). */
export type KeyStep = {literal: string} | {key: 'Enter' | 'Escape' | 'C-c'};

/**
 * The keys each kind expects at its approval prompt and to interrupt, as its screens show them
 * (fixtures/panes): Claude Code and Gemini CLI number their options ("1. Yes" / "1. Yes, allow once")
 * and cancel with esc; Codex shows "(y)" and "(esc)"; a generic program gets y/n and Enter.
 */
export const kindKeys: Record<AgentKind, {approve: KeyStep[]; deny: KeyStep[]; interrupt: KeyStep[]}> = {
	claude: {approve: [{literal: '1'}], deny: [{key: 'Escape'}], interrupt: [{key: 'Escape'}]},
	codex: {approve: [{literal: 'y'}], deny: [{key: 'Escape'}], interrupt: [{key: 'Escape'}]},
	gemini: {approve: [{literal: '1'}], deny: [{key: 'Escape'}], interrupt: [{key: 'Escape'}]},
	generic: {approve: [{literal: 'y'}, {key: 'Enter'}], deny: [{literal: 'n'}, {key: 'Enter'}], interrupt: [{key: 'C-c'}]},
};

/** The tmux command sequence (one command line) that sends `steps` to `target`. */
export function keyCommand(target: string, steps: readonly KeyStep[]): string[] {
	const args: string[] = [];
	for (const step of steps) {
		if (args.length > 0) {
			args.push(';');
		}

		args.push(...('literal' in step ? ['send-keys', '-t', target, '-l', '--', step.literal] : ['send-keys', '-t', target, step.key]));
	}

	return args;
}
