import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import type {CmuxEvent} from '../../../source/core/events.js';
import {waitFor} from '../../helpers/wait.js';
import {mailboxHarness} from './harness.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

const fields = ['id', 'ts', 'from', 'to', 'subject', 'body'] as const;
const surrogates = [String.raw`\ud800`, String.raw`\udbff`, String.raw`\udc00`, String.raw`\udfff`, String.raw`\ud83d`];

/** One mailbox line: a valid message, or one of many ways to break it (lone surrogates in every field among them). */
function mutatedLine(index: number, next: () => number, earlierIds: string[]): {line: string; kind: string} {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
	const values: Record<string, string> = {id: `f${index}`, ts: '2026-12-02T04:00:00.000Z', from: 'fuzz', to: next() < 0.05 ? 'cmux:missing' : 'user', subject: `s${index}`, body: `b${index}`};
	const json = (raw: Record<string, string> = {}) => `{${fields.map(field => `"${field}":${raw[field] ?? JSON.stringify(values[field])}`).join(',')}}`;
	const kind = pick(['surrogate', 'surrogate', 'surrogate', 'control', 'truncate', 'flip', 'long', 'type', 'missing', 'duplicate', 'valid', 'valid', 'invalid-utf8', 'status']);
	const field = pick(fields);
	switch (kind) {
		case 'surrogate': {
			const text = JSON.stringify(values[field]);
			const at = 1 + Math.floor(next() * (text.length - 1));
			return {kind, line: json({[field]: `${text.slice(0, at)}${pick(surrogates)}${text.slice(at)}`})};
		}

		case 'control': {
			return {kind, line: json({[pick(['id', 'from', 'to', 'ts'])]: JSON.stringify(`x${String.fromCodePoint(Math.floor(next() * 32))}y`)})};
		}

		case 'truncate': {
			const line = json();
			return {kind, line: line.slice(0, 1 + Math.floor(next() * (line.length - 2)))};
		}

		case 'flip': {
			const line = json();
			const at = Math.floor(next() * line.length);
			return {kind, line: `${line.slice(0, at)}${String.fromCodePoint(33 + Math.floor(next() * 90))}${line.slice(at + 1)}`};
		}

		case 'long': {
			return {kind, line: json({[pick(['id', 'from', 'subject'])]: JSON.stringify('x'.repeat(5000))})};
		}

		case 'type': {
			return {kind, line: json({[field]: pick(['42', 'null', '[]', '{"a":1}', 'true'])})};
		}

		case 'missing': {
			const {[pick(['from', 'to', 'subject'])]: _gone, ...rest} = values;
			return {kind, line: JSON.stringify(rest)};
		}

		case 'duplicate': {
			return {kind, line: json({id: JSON.stringify(earlierIds.length > 0 ? pick(earlierIds) : `f${index}`)})};
		}

		case 'invalid-utf8': {
			// Raw bytes of an encoded lone surrogate (ED A0 80): decoded as replacement characters.
			return {kind, line: json({subject: `"s${index}\u{FFFD}"`}).replace('\u{FFFD}', '\u0000INVALID\u0000')};
		}

		case 'status': {
			return {kind, line: `{"type":"status_update","id":"f${Math.max(0, index - 1)}${next() < 0.5 ? pick(surrogates) : ''}","status":"working"}`};
		}

		default: {
			return {kind, line: json()};
		}
	}
}

test.serial('fuzz: 10,000 mutated mailbox lines, lone surrogates in every field; each received message settles once, memory stays flat', async t => {
	const box = await mailboxHarness({mailbox: {maxAttempts: 1, retryBase: '10ms', retryMax: '10ms'}});
	try {
		const orchestrator = await box.start();
		const counts = {received: 0, rejected: 0, delivered: 0, dead: 0};
		const settledIds = new Map<string, number>();
		orchestrator.on('event', (event: CmuxEvent) => {
			if (event.type === 'message.received') {
				counts.received++;
			} else if (event.type === 'message.rejected') {
				counts.rejected++;
			} else if (event.type === 'message.delivered' || event.type === 'message.dead_letter') {
				counts[event.type === 'message.delivered' ? 'delivered' : 'dead']++;
				settledIds.set(event.id, (settledIds.get(event.id) ?? 0) + 1);
			}
		});
		const next = random(15);
		const ids: string[] = [];
		const kinds: Record<string, number> = {};
		const heap: number[] = [];
		const total = 10_000;
		for (let batch = 0; batch < 10; batch++) {
			const lines: Buffer[] = [];
			for (let index = batch * 1000; index < (batch + 1) * 1000; index++) {
				const {line, kind} = mutatedLine(index, next, ids);
				kinds[kind] = (kinds[kind] ?? 0) + 1;
				ids.push(`f${index}`);
				const bytes = Buffer.from(`${line}\n`);
				const marker = bytes.indexOf('\u0000INVALID\u0000');
				lines.push(marker === -1 ? bytes : Buffer.concat([bytes.subarray(0, marker), Buffer.from([0xED, 0xA0, 0x80]), bytes.subarray(marker + 9)]));
			}

			fs.appendFileSync(box.paths.mailboxFile, Buffer.concat(lines));
			// Every line is accounted for once the position is past it and every received message has settled.
			await waitFor(() => box.store().offsets.load(box.paths.mailboxFile)?.line === (batch + 1) * 1000 && counts.delivered + counts.dead === counts.received,
				{timeout: 60_000, interval: 50, what: `batch ${batch}: ${JSON.stringify(counts)}`});
			box.events.length = 0;
			gc();
			heap.push(process.memoryUsage().heapUsed);
		}

		const stored = (box.store().db.prepare('SELECT count(*) AS n FROM messages').get() as {n: number}).n;
		const states = box.store().db.prepare('SELECT state, count(*) AS n FROM messages GROUP BY state').all();
		const mib = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
		t.log(`lines ${total}: received ${counts.received}, rejected ${counts.rejected}, delivered ${counts.delivered}, dead ${counts.dead}, ignored (duplicate ids, blank) ${total - counts.received - counts.rejected}`);
		t.log(`mutations ${JSON.stringify(kinds)}; rows by state ${JSON.stringify(states)}`);
		t.log(`heap after each 1,000 lines (MiB): ${heap.map(mib).join(' ')}`);
		t.is(stored, counts.received);
		t.true(counts.received + counts.rejected <= total);
		// Lines that change no delivery: a known id again, or a status update of a known message.
		t.true(total - counts.received - counts.rejected <= (kinds.duplicate ?? 0) + (kinds.status ?? 0), 'only duplicates and status updates go unreported');
		t.true(kinds.surrogate! > 1000);
		t.true(counts.rejected >= kinds.surrogate!, 'every lone surrogate line is rejected');
		t.is(counts.delivered + counts.dead, counts.received);
		t.true([...settledIds.values()].every(times => times === 1), 'no message delivered (or dead-lettered) twice');
		// Flat: the last 1,000 lines grow the heap no more than a few MiB over the second batch.
		t.true(heap.at(-1)! - heap[1]! < 8 * 1024 * 1024, `heap grew ${mib(heap.at(-1)! - heap[1]!)} MiB`);
	} finally {
		await box.cleanup();
	}
});
