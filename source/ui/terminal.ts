/** Escape sequences the TUI writes around its run (xterm; tmux and every common terminal know them). */
const sequences = {
	alternateOn: '\u001B[?1049h',
	alternateOff: '\u001B[?1049l',
	// Button presses and the wheel (1000), reported in SGR form (1006) so columns past 223 work.
	mouseOn: '\u001B[?1000h\u001B[?1006h',
	mouseOff: '\u001B[?1006l\u001B[?1000l',
};

/** Switch to the alternate screen and turn mouse reporting on. */
export function enterScreen(stream: NodeJS.WriteStream): void {
	stream.write(sequences.alternateOn + sequences.mouseOn);
}

/** Turn mouse reporting off and bring the user's screen back as it was. */
export function leaveScreen(stream: NodeJS.WriteStream): void {
	stream.write(sequences.mouseOff + sequences.alternateOff);
}

/** A mouse report (SGR 1006) as Ink hands it over: `[<0;12;5M` (button; column; row; press/release). */
export interface MouseEvent {
	kind: 'click' | 'wheel-up' | 'wheel-down';
	/** 1-based, as the terminal reports them. */
	column: number;
	row: number;
}

// eslint-disable-next-line no-control-regex
const report = /\u001B?\[<(\d+);(\d+);(\d+)([Mm])/g;

/** The mouse events in a chunk of input (none when it is a key). Releases and drags are ignored. */
export function parseMouse(input: string): MouseEvent[] {
	const events: MouseEvent[] = [];
	for (const match of input.matchAll(report)) {
		const button = Number(match[1]);
		const column = Number(match[2]);
		const row = Number(match[3]);
		if (button === 64 || button === 65) {
			events.push({kind: button === 64 ? 'wheel-up' : 'wheel-down', column, row});
		} else if (button === 0 && match[4] === 'M') {
			events.push({kind: 'click', column, row});
		}
	}

	return events;
}

/** Whether a chunk of input is a mouse report (so it is never read as keys). */
export function isMouseInput(input: string): boolean {
	return /^\u001B?\[<\d+;\d+;\d+[Mm]/.test(input);
}
