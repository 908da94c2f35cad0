// MedianPruner and PercentilePruner decisions on hand-built histories.
import { describe, expect, it } from 'vitest';
import { MedianPruner } from '../../src/pruners/median.js';
import { PercentilePruner, percentileOf } from '../../src/pruners/percentile.js';
import { curve, negated, running, trial, view } from './helpers.js';

// Five COMPLETE trials: at step 1 the values are 1..5 (median 3), at step 2 0.5..4.5 (median 2.5),
// at step 3 0..4 (median 2). PRUNED and RUNNING trials with extreme values must not count.
const completed = [0, 1, 2, 3, 4].map((i) => trial(i, 'COMPLETE', { 1: 1 + i, 2: 0.5 + i, 3: i }, i));
const noise = [trial(5, 'PRUNED', { 1: 100, 2: 100 }), trial(6, 'RUNNING', { 1: -100, 2: -100 }), trial(7, 'FAIL', { 1: 100 })];
const history = [...completed, ...noise];

describe('MedianPruner', () => {
  it.each([
    ['worse than the median at step 1', [3.5], true],
    ['equal to the median', [3], false],
    ['better than the median', [2], false],
    ['best-so-far worse than the median at step 2', [5, 2.6], true],
    ['best-so-far (an earlier step) better than the median at step 2', [2, 2.6], false],
    ['best-so-far at step 3 against median 2', [9, 9, 2.1], true],
    ['all reports NaN', [NaN], true],
    ['a NaN report next to a good one', [NaN, 1], false],
  ])('minimize: %s -> %s', (_label, values, expected) => {
    expect(new MedianPruner().shouldPrune(view(history), running(values))).toBe(expected);
  });

  it.each([
    ['below the median at step 1', [2.5], true],
    ['equal to the median', [3], false],
    ['above the median', [3.5], false],
    ['best-so-far (step 1) above median 2.5 at step 2', [4, 0], false],
    ['best-so-far below median 2.5 at step 2', [2, 2.4], true],
  ])('maximize: %s -> %s', (_label, values, expected) => {
    expect(new MedianPruner().shouldPrune(view(history, 'maximize'), running(values))).toBe(expected);
  });

  it('mirrors its decisions for a maximize study with negated values', () => {
    for (const values of [[3.5], [3], [2], [5, 2.6], [2, 2.6], [9, 9, 2.1]]) {
      const min = new MedianPruner().shouldPrune(view(history), running(values));
      const max = new MedianPruner().shouldPrune(view(history.map(negated), 'maximize'), negated(running(values)));
      expect(max).toBe(min);
    }
  });

  it.each([
    [5, 4, false],
    [5, 5, true],
    [4, 4, true],
    [0, 1, true],
    [0, 0, false],
  ])('nStartupTrials %i with %i COMPLETE trials -> %s', (nStartupTrials, nComplete, expected) => {
    const pruner = new MedianPruner({ nStartupTrials });
    expect(pruner.shouldPrune(view([...completed.slice(0, nComplete), ...noise]), running([100]))).toBe(expected);
  });

  it.each([
    [[100], false],
    [[100, 100], true],
    [[100, 100, 100], true],
  ])('nWarmupSteps 2: a bad trial with reports %j -> %s', (values, expected) => {
    expect(new MedianPruner({ nWarmupSteps: 2 }).shouldPrune(view(history), running(values))).toBe(expected);
  });

  describe('intervalSteps', () => {
    // COMPLETE trials reporting 0 at steps 0..9: any positive value is worse than the median.
    const flat = [0, 1, 2, 3, 4].map((i) => trial(i, 'COMPLETE', curve(Array(10).fill(0), 0), 0));
    it.each([
      [{ intervalSteps: 2 }, [0], true],
      [{ intervalSteps: 2 }, [0, 1], false],
      [{ intervalSteps: 2 }, [0, 1, 2], true],
      [{ intervalSteps: 2 }, [0, 1, 2, 3], false],
      [{ intervalSteps: 3, nWarmupSteps: 1 }, [0, 1], true],
      [{ intervalSteps: 3, nWarmupSteps: 1 }, [0, 1, 2], false],
      [{ intervalSteps: 3, nWarmupSteps: 1 }, [0, 1, 2, 3], false],
      [{ intervalSteps: 3, nWarmupSteps: 1 }, [0, 1, 2, 3, 4], true],
      [{ intervalSteps: 2 }, [0, 3], true],
      [{ intervalSteps: 4 }, [0, 3], false],
    ])('%j: a bad trial reporting at steps %j -> %s', (options, steps, expected) => {
      const t = trial(99, 'RUNNING', Object.fromEntries(steps.map((s) => [s, 1])));
      expect(new MedianPruner(options).shouldPrune(view(flat), t)).toBe(expected);
    });
  });

  it.each([
    [1, true],
    [2, true],
    [3, false],
  ])('nMinTrials %i with two COMPLETE trials reporting at step 4 -> %s', (nMinTrials, expected) => {
    const extended = completed.map((t) => (t.number < 2 ? trial(t.number, 'COMPLETE', { ...t.intermediate, 4: 0 }) : t));
    const pruner = new MedianPruner({ nMinTrials });
    expect(pruner.shouldPrune(view(extended), running([9, 9, 9, 1]))).toBe(expected);
  });

  it('does not prune a trial with no report, or at a step no COMPLETE trial reached', () => {
    expect(new MedianPruner().shouldPrune(view(history), running([]))).toBe(false);
    expect(new MedianPruner().shouldPrune(view(history), running([9, 9, 9, 9, 9]))).toBe(false);
  });

  it('ignores an older copy of the trial itself in the view', () => {
    const old = trial(99, 'RUNNING', { 1: 3.5 });
    expect(new MedianPruner().shouldPrune(view([...history, old]), running([3.5, 2.4]))).toBe(false);
    expect(new MedianPruner().shouldPrune(view([...history, old]), running([3.5, 2.6]))).toBe(true);
  });
});

describe('PercentilePruner', () => {
  it.each([
    ['minimize', 25, [2.5], true],
    ['minimize', 25, [2], false],
    ['minimize', 75, [4.5], true],
    ['minimize', 75, [4], false],
    ['minimize', 0, [1.01], true],
    ['minimize', 100, [5], false],
    ['maximize', 25, [3.5], true],
    ['maximize', 25, [4], false],
    ['maximize', 75, [1.5], true],
    ['maximize', 75, [2], false],
  ] as const)('%s, percentile %i, step-1 values 1..5: reports %j -> %s', (direction, percentile, values, expected) => {
    expect(new PercentilePruner({ percentile }).shouldPrune(view(history, direction), running(values))).toBe(expected);
  });

  it('decides exactly as MedianPruner at percentile 50', () => {
    for (const values of [[3.5], [3], [2], [5, 2.6], [2, 2.6], [NaN], [9, 9, 2.1]]) {
      for (const direction of ['minimize', 'maximize'] as const) {
        const v = view(history, direction);
        expect(new PercentilePruner({ percentile: 50 }).shouldPrune(v, running(values))).toBe(new MedianPruner().shouldPrune(v, running(values)));
      }
    }
  });

  it.each([
    [[1, 2, 3, 4], 50, 'minimize', 2.5],
    [[4, 1, 3, 2], 25, 'minimize', 1.75],
    [[4, 1, 3, 2], 25, 'maximize', 3.25],
    [[7], 90, 'minimize', 7],
    [[1, 2, 3, 4, 5], 0, 'maximize', 5],
  ] as const)('percentileOf(%j, %i, %s) = %d', (values, percentile, direction, expected) => {
    expect(percentileOf(values, percentile, direction)).toBeCloseTo(expected, 12);
  });
});
