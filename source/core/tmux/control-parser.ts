/** A `%name args…` line tmux sends to a control client outside a command's output block. */
export interface TmuxNotification {
	name: string;
	args: string[];
	raw: string;
}

/** The end of one command's output block. */
export interface TmuxReply {
	/** tmux's command number (the second field of %begin/%end). */
	number: string;
	ok: boolean;
	lines: string[];
	/** False for blocks tmux runs by itself (the attach command, hooks): not replies to our commands. */
	ours: boolean;
}

const guard = /^%(begin|end|error) (\d+) (\d+) (\d+)$/;

/**
 * Splits control-mode output into replies and notifications. Inside a %begin…%end block every line
 * is output, even one starting with `%`, until the %end/%error carrying the same command number.
 */
export class ControlParser {
	private block?: {number: string; ours: boolean; lines: string[]};

	constructor(private readonly handlers: {reply(reply: TmuxReply): void; notification(notification: TmuxNotification): void}) {}

	line(line: string): void {
		const match = guard.exec(line);
		if (this.block) {
			if (match && match[1] !== 'begin' && match[3] === this.block.number) {
				const {number, ours, lines} = this.block;
				this.block = undefined;
				this.handlers.reply({number, ours, lines, ok: match[1] === 'end'});
			} else {
				this.block.lines.push(line);
			}

			return;
		}

		if (match?.[1] === 'begin') {
			this.block = {number: match[3]!, ours: (Number(match[4]) & 1) === 1, lines: []};
			return;
		}

		if (line.startsWith('%')) {
			const [name = '', ...args] = line.slice(1).split(' ');
			this.handlers.notification({name, args, raw: line});
		}
	}
}
