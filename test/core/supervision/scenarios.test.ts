import test from 'ava';
import {fakeAgent} from './harness.js';
import {runScenarios} from './scenario-runner.js';
import {scenarioConfig, scenarios} from './scenarios.js';

const batch = 12;
test('the suite has at least 40 scenarios', t => {
	t.true(scenarios.length >= 40);
});

for (let index = 0; index < scenarios.length; index += batch) {
	const part = scenarios.slice(index, index + batch);
	test.serial(`scenarios ${index + 1} to ${index + part.length} reach their states by their deadlines`, async t => {
		t.timeout(120_000);
		const outcomes = await runScenarios(part, scenarioConfig, fakeAgent);
		for (const outcome of outcomes) {
			t.true(outcome.ok, `${outcome.name}: expected ${outcome.expect}, saw ${outcome.saw.join(' → ') || 'nothing'}`);
			t.is(outcome.busyNudges, 0, `${outcome.name}: nudged while busy`);
			if (part.find(scenario => scenario.name === outcome.name)?.restart) {
				t.true(outcome.restarted, `${outcome.name}: the orchestrator was restarted`);
			}
		}
	});
}
