import fs from 'node:fs';
import os from 'node:os';
import {execaSync} from 'execa';

/**
 * One measured figure: what it is, its target, the value, and the baseline measured in the same run
 * (a 2 s poller, `grep`, one `send-keys` per message…) with the ratio between the two.
 */
export interface Figure {
	name: string;
	/** The target as a sentence fragment: "≥ 2000 msg/s", "≤ 10 ms". */
	target: string;
	value: number;
	unit: string;
	/** Whether the value meets the target (undefined when there is no target to meet). */
	pass?: boolean;
	baseline?: {label: string; value: number};
	/** value ÷ baseline for rates, baseline ÷ value for times and costs: above 1 is better than the baseline. */
	ratio?: number;
	note?: string;
}

/** What a bench returns: its figures, and any raw details worth keeping in latest.json. */
export interface BenchResult {
	title: string;
	/** How to run only this bench. */
	command: string;
	figures: Figure[];
	details?: Record<string, unknown>;
}

export function isBenchResult(value: unknown): value is BenchResult {
	return typeof value === 'object' && value !== null && Array.isArray((value as BenchResult).figures);
}

/** The machine a run was taken on, with the load at the time (the machine may be shared). */
export function machine(): Record<string, unknown> {
	const tmux = execaSync('tmux', ['-V'], {reject: false}).stdout?.trim() ?? 'unknown';
	return {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		tmux,
		locale: process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || 'unset',
		loadAverage: os.loadavg().map(value => Math.round(value * 100) / 100),
	};
}

/** A figure compared with its baseline; `higherIsBetter` for rates. */
export function compare(figure: Omit<Figure, 'ratio' | 'pass'>, options: {higherIsBetter: boolean; meets?: (value: number) => boolean}): Figure {
	const base = figure.baseline?.value;
	const ratio = base === undefined || base === 0 || figure.value === 0 ? undefined
		: Math.round((options.higherIsBetter ? figure.value / base : base / figure.value) * 100) / 100;
	return {...figure, ...(ratio === undefined ? {} : {ratio}), ...(options.meets ? {pass: options.meets(figure.value)} : {})};
}

function cell(figure: Figure): string[] {
	const value = `${figure.value} ${figure.unit}`.trim();
	const baseline = figure.baseline ? `${figure.baseline.value} ${figure.unit} (${figure.baseline.label})` : '–';
	const ratio = figure.ratio === undefined ? '–' : `${figure.ratio}×`;
	const pass = figure.pass === undefined ? '' : figure.pass ? 'yes' : '**no**';
	return [figure.name, figure.target, value, baseline, ratio, pass, figure.note ?? ''];
}

/** BENCHMARKS.md from the merged results: one table per bench, then the machine of each run. */
export function markdown(results: Record<string, unknown>): string {
	const lines = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (all benches) or `npm run bench -- NAME` (one; the others keep their last',
		'figures). Raw figures: `bench/results/latest.json`, committed with this report. Every bench measures the',
		'product as users run it: a separate `node bin/cmux-tui run --no-ui --project DIR` process (`--json`',
		'where its events are read) with every service its config turns on (health port, log watcher, mailbox,',
		'agents, managed dev server), driven from outside (mailbox file, log file, tmux) and observed through its',
		'event stream, its store and /proc. Each baseline is measured in the same run on the same machine.',
		'"ratio" is how many times better than the baseline (rate ÷ baseline rate, or baseline time ÷ time). CI',
		'does not run benchmarks. The rows of the supervision scenario suite (classification, quiet → idle,',
		'nudges into busy panes) are not taken that way: the suite runs the agents, heartbeat and supervision',
		'services inside the bench\'s process, to read when each agent\'s state machine saw its pane go quiet.',
		'',
	];
	for (const [name, result] of Object.entries(results)) {
		if (name === 'machine') {
			continue;
		}

		if (!isBenchResult(result)) {
			lines.push(`## ${name}`, '', '```json', JSON.stringify(result, null, 2), '```', '');
			continue;
		}

		const run = (result.details?.run ?? {}) as {date?: string; machine?: Record<string, unknown>; runs?: number};
		lines.push(`## ${result.title}`, '', `\`${result.command}\`${run.date ? ` — ${run.date}` : ''}${run.runs && run.runs > 1 ? `, median of ${run.runs} runs` : ''}`, '');
		lines.push('| figure | target | measured | baseline | ratio | meets target | note |', '| --- | --- | --- | --- | --- | --- | --- |');
		for (const figure of result.figures) {
			lines.push(`| ${cell(figure).map(text => text.replaceAll('|', '\\|')).join(' | ')} |`);
		}

		if (run.machine) {
			const m = run.machine;
			lines.push('', `Machine: ${String(m.cpus)} cores (${String(m.cpuModel)}), ${String(m.memoryGb)} GB, ${String(m.os)}, node ${String(m.node)}, ${String(m.tmux)}, locale ${String(m.locale)}; load average at the start ${JSON.stringify(m.loadAverage)}.`);
		}

		lines.push('');
	}

	return `${lines.join('\n').trimEnd()}\n`;
}

/** Merge `fresh` into the results file (benches not run this time keep their last figures). */
export function mergeResults(file: string, fresh: Record<string, unknown>): Record<string, unknown> {
	let previous: Record<string, unknown> = {};
	try {
		previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
	} catch {
		// No earlier results (a first run) or an unreadable file: start from this run alone.
	}

	return {...previous, ...fresh};
}
