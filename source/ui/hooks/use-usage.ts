import {useEffect, useState} from 'react';
import {UsageSampler, type Usage} from '../../core/process/usage.js';

/** How often the cpu and mem columns are sampled while they are on screen. */
const sampleMs = 20_000;

/**
 * CPU and memory of each pid's process tree, sampled every 20 s only while `enabled` (the columns
 * are on screen); nothing runs otherwise.
 */
export function useUsage(pids: readonly number[], enabled: boolean): ReadonlyMap<number, Usage> | undefined {
	const [usage, setUsage] = useState<ReadonlyMap<number, Usage>>();
	const key = pids.join(',');
	useEffect(() => {
		if (!enabled || key === '') {
			return;
		}

		const sampler = new UsageSampler();
		const roots = key.split(',').map(Number);
		let running = true;
		const sample = () => {
			sampler.sample(roots).then(result => {
				if (running) {
					setUsage(result);
				}
			}, () => {
				// A sample that fails (a process table read racing exits) is skipped; the next one comes in 20 s.
			});
		};

		sample();
		const timer = setInterval(sample, sampleMs);
		return () => {
			running = false;
			clearInterval(timer);
		};
	}, [key, enabled]);
	return enabled ? usage : undefined;
}
