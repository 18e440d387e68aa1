import test from 'ava';
import {UsageError} from '../../../source/core/errors.js';
import {cyclesOf} from '../../../source/core/tasks/graph.js';
import {canMove, checkMove, nextStates, taskStates} from '../../../source/core/tasks/machine.js';
import {findMarkers} from '../../../source/core/tasks/completion.js';

test('the lifecycle path is legal', t => {
	for (const [from, to] of [['backlog', 'assigned'], ['assigned', 'in_progress'], ['in_progress', 'review'], ['review', 'done'], ['in_progress', 'done'], ['in_progress', 'blocked'], ['blocked', 'in_progress'], ['failed', 'backlog']] as const) {
		t.true(canMove(from, to), `${from} → ${to}`);
	}
});

test('done is final: nothing moves a done task, not even failed', t => {
	t.deepEqual(nextStates('done'), []);
	for (const to of taskStates) {
		t.false(canMove('done', to));
	}
});

test('an illegal move is a usage error naming the current state and the allowed ones', t => {
	const error = t.throws(() => {
		checkMove('t7', 'backlog', 'done');
	}, {instanceOf: UsageError});
	t.is(error.exitCode, 2);
	t.is(error.message, 'task t7 is backlog: it cannot move to done (allowed from backlog: assigned, blocked, failed)');
});

test('tarjan finds 2- and 3-agent cycles and ignores chains', t => {
	t.deepEqual(cyclesOf([{from: 'a', to: 'b', why: ''}, {from: 'b', to: 'c', why: ''}]), []);
	t.deepEqual(cyclesOf([{from: 'a', to: 'b', why: ''}, {from: 'b', to: 'a', why: ''}]), [['a', 'b']]);
	t.deepEqual(cyclesOf([{from: 'a', to: 'b', why: ''}, {from: 'b', to: 'c', why: ''}, {from: 'c', to: 'a', why: ''}, {from: 'c', to: 'd', why: ''}]), [['a', 'b', 'c']]);
});

test('markers are found at line starts, and the placeholder form is no claim', t => {
	t.deepEqual(findMarkers('All set.\nCMUX-DONE t3 ok built it\n'), [{task: 't3', ok: true, summary: 'built it'}]);
	t.deepEqual(findMarkers('  CMUX-DONE t4 fail tests red'), [{task: 't4', ok: false, summary: 'tests red'}]);
	t.deepEqual(findMarkers('print a line "CMUX-DONE t3 ok <summary>"\nCMUX-DONE t3 ok <summary>'), []);
});
