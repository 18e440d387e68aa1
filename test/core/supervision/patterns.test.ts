import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {classifyScreen, compileProfile} from '../../../source/core/supervision/patterns/classify.js';
import type {AgentKind} from '../../../source/core/supervision/patterns/profiles.js';
import {fixturesDir} from '../../helpers/paths.js';

const corpus = path.join(fixturesDir, 'panes');

test('every captured screen in the corpus gives the state it is labelled with', t => {
	let checked = 0;
	for (const kind of fs.readdirSync(corpus) as AgentKind[]) {
		const profile = compileProfile(kind);
		for (const file of fs.readdirSync(path.join(corpus, kind))) {
			const label = file.split('-')[0]!;
			const found = classifyScreen(profile, fs.readFileSync(path.join(corpus, kind, file), 'utf8'));
			t.is(found?.state ?? 'none', label, `${kind}/${file}`);
			checked++;
		}
	}

	t.true(checked >= 20);
});

test('an agent profile from config extends the built-in one and wins over it', t => {
	const profile = compileProfile('claude', {waiting_input: ['Which option do you prefer']});
	t.is(classifyScreen(profile, 'Which option do you prefer (a/b)\n│ >   │')?.state, 'waiting_input');
});

test('a generic agent uses its prompt regex as its idle pattern', t => {
	const profile = compileProfile('generic', {}, '^\\$\\s*$');
	t.is(classifyScreen(profile, 'make: done\n$ ')?.state, 'idle');
	t.is(classifyScreen(profile, 'make: building'), undefined);
});

test('only the bottom of the screen counts', t => {
	const profile = compileProfile('codex');
	const old = 'Would you like to run the following command?\n' + Array.from({length: 30}, (_, index) => `line ${index}`).join('\n');
	t.is(classifyScreen(profile, old), undefined);
});
