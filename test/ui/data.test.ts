import test from 'ava';
import {EventRate} from '../../source/ui/data/event-rate.js';
import {shortDuration} from '../../source/ui/data/format.js';
import {filterRows, messageTableRows} from '../../source/ui/data/rows.js';
import {createThrottle} from '../../source/ui/data/throttle.js';
import {waitFor} from '../helpers/wait.js';
import {fitRate} from '../../source/ui/panes/HealthPane.js';
import {colorAllowed} from '../../source/ui/theme.js';

test('event rate counts per second and forgets what leaves the window', t => {
	const rate = new EventRate(5, 10_000);
	rate.record(10_100);
	rate.record(10_900);
	rate.record(8_000);
	t.deepEqual(rate.series(10_500), [0, 0, 1, 0, 2]);
	t.deepEqual(rate.series(13_000), [0, 2, 0, 0, 0]);
	t.deepEqual(rate.series(20_000), [0, 0, 0, 0, 0]);
});

test('event rate ignores events older than its window', t => {
	const rate = new EventRate(5, 100_000);
	rate.record(1000);
	t.deepEqual(rate.series(100_000), [0, 0, 0, 0, 0]);
});

test('a burst of requests runs the throttled function once at once and once at the end', async t => {
	let runs = 0;
	const throttle = createThrottle(() => runs++, 40);
	for (let index = 0; index < 1000; index++) {
		throttle.request();
	}

	t.is(runs, 1);
	await waitFor(() => runs === 2, {what: 'the trailing run'});
	t.is(runs, 2);
	throttle.cancel();
});

test('a cancelled throttle does not run its trailing call', async t => {
	let runs = 0;
	const throttle = createThrottle(() => runs++, 10);
	throttle.request();
	throttle.request();
	throttle.cancel();
	// A later event: a second throttle's trailing run, due at the same interval but asked for later,
	// runs after the cancelled one's would have (timers of one duration fire in the order they were set).
	let laterRuns = 0;
	const later = createThrottle(() => laterRuns++, 10);
	later.request();
	later.request();
	await waitFor(() => laterRuns === 2, {what: 'the later trailing run'});
	t.is(runs, 1);
});

test('durations are short', t => {
	t.is(shortDuration(5000), '5s');
	t.is(shortDuration(65_000), '1m05s');
	t.is(shortDuration(3_720_000), '1h02m');
	t.is(shortDuration(90_000_000), '1d01h');
});

test('the filter matches any cell without regard to case', t => {
	const rows = messageTableRows([
		{seq: 1, id: 'a', ts: '2026-01-01T00:00:00.000Z', from: 'worker-1', to: 'boss', subject: 'Build done', body: null, taskStatus: 'submitted', state: 'delivered', attempts: 1, lastError: null, deliveredAt: null, maybeDuplicate: 0, nextAttemptAt: 0, sourceLine: null, deliveryMark: null},
		{seq: 2, id: 'b', ts: '2026-01-01T00:00:00.000Z', from: 'boss', to: 'worker-2', subject: 'tests', body: null, taskStatus: 'submitted', state: 'dead', attempts: 9, lastError: 'gone', deliveredAt: null, maybeDuplicate: 0, nextAttemptAt: 0, sourceLine: null, deliveryMark: null},
	]);
	t.deepEqual(filterRows(rows, 'BUILD').map(row => row.key), ['a']);
	t.deepEqual(filterRows(rows, 'worker-2').map(row => row.key), ['b']);
	t.deepEqual(filterRows(rows, 'dead').map(row => row.key), ['b']);
	t.is(filterRows(rows, ' ').length, 2);
});

test('the sparkline averages seconds into the columns it has', t => {
	t.deepEqual(fitRate([1, 3, 5, 7], 2), [2, 6]);
	t.deepEqual(fitRate([1, 3, 5], 2), [4]);
	t.deepEqual(fitRate([], 10), [0]);
});

test('colour is off whenever NO_COLOR is set, even empty', t => {
	t.true(colorAllowed({}));
	t.false(colorAllowed({NO_COLOR: ''}));
	t.false(colorAllowed({NO_COLOR: '1'}));
});
