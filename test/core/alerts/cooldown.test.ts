import test from 'ava';
import {CooldownWindow, type AlertBatch} from '../../../source/core/alerts/cooldown.js';
import {FakeClock} from '../../helpers/fake-clock.js';

function window(cooldown = 60_000, keep = 20) {
	const clock = new FakeClock();
	const reports: AlertBatch[] = [];
	let closed = 0;
	const cooldownWindow = new CooldownWindow(clock, cooldown, batch => reports.push(batch), keep, () => closed++);
	return {clock, reports, closed: () => closed, window: cooldownWindow};
}

test('the first match is reported at once and opens a window', t => {
	const {clock, reports, window: w} = window();
	w.add(['boom']);
	t.deepEqual(reports, [{count: 1, matches: [['boom']], firstAt: clock.now(), lastAt: clock.now()}]);
	t.deepEqual(clock.pending(), [60_000]);
});

test('matches inside the window are counted exactly and reported together when it ends', t => {
	const {clock, reports, window: w} = window(60_000, 2);
	const start = clock.now();
	w.add(['first']);
	clock.advance(1000);
	w.add(['a']);
	clock.advance(1000);
	w.add(['b']);
	w.add(['c']);
	clock.advance(57_999);
	t.is(reports.length, 1, 'nothing more is reported one millisecond before the window ends');
	clock.advance(1);
	t.deepEqual(reports[1], {count: 3, matches: [['a'], ['b']], firstAt: start + 1000, lastAt: start + 2000});
	t.deepEqual(clock.pending(), [60_000], 'the report opened the next window');
});

test('a window that ends with nothing pending closes', t => {
	const {clock, reports, closed, window: w} = window(5000);
	w.add(['x']);
	clock.advance(5000);
	t.is(reports.length, 1);
	t.is(closed(), 1);
	t.deepEqual(clock.pending(), []);
	t.deepEqual(w.state(), {});
	w.add(['y']);
	t.is(reports.length, 2, 'the next match after a closed window is reported at once');
});

test('flush reports what is pending now and closes the window', t => {
	const {clock, reports, window: w} = window();
	w.add(['x']);
	w.add(['y']);
	w.flush();
	t.is(reports.length, 2);
	t.is(reports[1]!.count, 1);
	t.deepEqual(clock.pending(), []);
});

test('a restored window goes on for its remaining time, one that already ended reports at once', t => {
	const open = window(10_000);
	open.window.restore({endsAt: open.clock.now() + 4000, pending: {count: 2, matches: [['p']], firstAt: 1, lastAt: 2}});
	t.is(open.reports.length, 0);
	t.deepEqual(open.clock.pending(), [4000]);
	open.clock.advance(4000);
	t.like(open.reports[0], {count: 2});

	const ended = window(10_000);
	ended.window.restore({endsAt: ended.clock.now() - 1, pending: {count: 5, matches: [['q']], firstAt: 1, lastAt: 2}});
	t.like(ended.reports[0], {count: 5});
	t.deepEqual(ended.clock.pending(), [10_000]);
});

test('matches not counted before the restart are counted in the restored window, ended or open', t => {
	const ended = window(10_000);
	ended.window.restore({endsAt: ended.clock.now() - 1, pending: {count: 2, matches: [['a'], ['b']], firstAt: 1, lastAt: 2}}, [['c', '  at x']]);
	t.is(ended.reports.length, 1);
	t.like(ended.reports[0], {count: 3, matches: [['a'], ['b'], ['c', '  at x']]});

	const open = window(10_000);
	open.window.restore({endsAt: open.clock.now() + 4000, pending: {count: 1, matches: [['a']], firstAt: 1, lastAt: 2}}, [['c']]);
	open.clock.advance(4000);
	t.like(open.reports[0], {count: 2, matches: [['a'], ['c']]});

	// No window was open: the match is reported at once and opens one, as a first match does.
	const none = window(10_000);
	none.window.restore({}, [['c']]);
	t.like(none.reports[0], {count: 1, matches: [['c']]});
	t.deepEqual(none.clock.pending(), [10_000]);
});
