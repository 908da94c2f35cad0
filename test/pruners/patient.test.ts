// PatientPruner: patience over the trial's own reports, then deference to the wrapped pruner.
import { describe, expect, it, vi } from 'vitest';
import { MedianPruner } from '../../src/pruners/median.js';
import { PatientPruner } from '../../src/pruners/patient.js';
import type { Pruner } from '../../src/study/pruner.js';
import { running, trial, view } from './helpers.js';

const cases: [string, number, number, number[], boolean][] = [
  ['too few reports', 2, 0, [1, 2, 3], false],
  ['an improvement within the last 3', 2, 0, [1, 0.9, 0.95, 0.92], false],
  ['no improvement in the last 3', 2, 0, [0.9, 1, 0.95, 0.92], true],
  ['equal values are no improvement', 2, 0, [0.9, 0.9, 0.9, 0.9], true],
  ['an improvement smaller than minDelta', 2, 0.05, [1, 0.97, 0.99, 0.98], true],
  ['an improvement larger than minDelta', 2, 0.05, [1, 0.94, 0.99, 0.98], false],
  ['patience 0: the last report is worse', 0, 0, [1, 1.1], true],
  ['patience 0: the last report is better', 0, 0, [1, 0.9], false],
  ['an early improvement followed by patience + 1 stale reports', 1, 0, [3, 1, 2, 1.5], true],
  ['recent reports all NaN', 1, 0, [1, NaN, NaN], true],
  ['earlier reports all NaN', 1, 0, [NaN, 1, 2], false],
  ['NaN among recent reports is ignored', 1, 0, [1, NaN, 0.5], false],
];

describe('PatientPruner without a wrapped pruner', () => {
  it.each(cases)('minimize: %s (patience %i, minDelta %d, %j) -> %s', (_label, patience, minDelta, values, expected) => {
    expect(new PatientPruner(undefined, { patience, minDelta }).shouldPrune(view([]), running(values))).toBe(expected);
  });

  it.each(cases)('maximize, values negated: %s -> %s', (_label, patience, minDelta, values, expected) => {
    const negatedValues = values.map((v) => -v);
    expect(new PatientPruner(undefined, { patience, minDelta }).shouldPrune(view([], 'maximize'), running(negatedValues))).toBe(expected);
  });

  it('orders reports by step, not by insertion', () => {
    const t = trial(99, 'RUNNING', { 4: 0.5, 1: 1, 3: 0.8, 2: 0.9 });
    expect(new PatientPruner(undefined, { patience: 1 }).shouldPrune(view([]), t)).toBe(false);
  });
});

describe('PatientPruner wrapping another pruner', () => {
  const stub = (answer: boolean) => ({ name: 'stub', shouldPrune: vi.fn<Pruner['shouldPrune']>(() => answer) });

  it.each([
    ['stalled, wrapped says prune', [0.9, 1, 1], true, true, 1],
    ['stalled, wrapped says keep', [0.9, 1, 1], false, false, 1],
    ['improving, wrapped would prune', [1, 0.9, 0.8], true, false, 0],
  ] as const)('%s -> %s', (_label, values, answer, expected, calls) => {
    const wrapped = stub(answer);
    const study = view([]);
    const t = running(values);
    expect(new PatientPruner(wrapped, { patience: 1 }).shouldPrune(study, t)).toBe(expected);
    expect(wrapped.shouldPrune).toHaveBeenCalledTimes(calls);
    if (calls > 0) expect(wrapped.shouldPrune).toHaveBeenCalledWith(study, t);
  });

  it('defers to a median pruner once patience runs out', () => {
    const history = [0, 1, 2, 3, 4].map((i) => trial(i, 'COMPLETE', { 1: 1, 2: 1, 3: 1 }, 1));
    const pruner = new PatientPruner(new MedianPruner(), { patience: 1 });
    expect(pruner.shouldPrune(view(history), running([2, 3]))).toBe(false);
    expect(pruner.shouldPrune(view(history), running([2, 3, 3]))).toBe(true);
    expect(pruner.shouldPrune(view(history), running([0.5, 3, 3]))).toBe(false);
  });
});
