/** A throttled call: `request()` as often as you like, `fn` runs at most once per `intervalMs`. */
export interface Throttle {
	request(): void;
	cancel(): void;
}

/**
 * Leading and trailing throttle: the first request runs at once, requests inside the interval
 * collapse into one run at its end, so a burst of any size costs at most one run per interval
 * and the last state is always shown. The interval may be a function (read at each request).
 */
export function createThrottle(fn: () => void, intervalMs: number | (() => number), now: () => number = Date.now): Throttle {
	const interval = typeof intervalMs === 'number' ? () => intervalMs : intervalMs;
	let lastRun = Number.NEGATIVE_INFINITY;
	let timer: NodeJS.Timeout | undefined;
	const run = () => {
		timer = undefined;
		lastRun = now();
		fn();
	};

	return {
		request() {
			if (timer) {
				return;
			}

			const wait = lastRun + interval() - now();
			if (wait <= 0) {
				run();
			} else {
				timer = setTimeout(run, wait);
			}
		},
		cancel() {
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
