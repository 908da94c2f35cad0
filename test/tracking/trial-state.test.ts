// The trial state machine: the whole transition table.
import { describe, expect, it } from 'vitest';
import { TRIAL_STATES, assertTransition, canTransition, isFinished, runStatusOf } from '../../src/tracking/trial-state.js';

const allowed = new Set(['WAITING>RUNNING', 'WAITING>FAIL', 'RUNNING>COMPLETE', 'RUNNING>PRUNED', 'RUNNING>FAIL']);
const pairs = TRIAL_STATES.flatMap((from) => TRIAL_STATES.map((to) => [from, to] as const));

describe('trial state transitions', () => {
  it.each(pairs)('%s -> %s', (from, to) => {
    const ok = allowed.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(ok);
    if (ok) expect(() => assertTransition(from, to, 3)).not.toThrow();
    else expect(() => assertTransition(from, to, 3)).toThrow(`trial #3 is ${from} and cannot move to ${to}`);
  });

  it('knows the finished states and their run statuses', () => {
    expect(TRIAL_STATES.filter(isFinished)).toEqual(['COMPLETE', 'PRUNED', 'FAIL']);
    expect(TRIAL_STATES.map(runStatusOf)).toEqual(['SCHEDULED', 'RUNNING', 'FINISHED', 'KILLED', 'FAILED']);
  });
});
