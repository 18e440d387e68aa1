/** Time behind a small interface so tests can run services fast. */
export interface Clock {
	now(): number;
	setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
	clearTimeout(timer: NodeJS.Timeout | undefined): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: timer => clearTimeout(timer),
};

/** A promise that resolves after `ms`. */
export async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** ISO 8601 with milliseconds, as every event and record carries. */
export function isoNow(clock: Clock = systemClock): string {
	return new Date(clock.now()).toISOString();
}
