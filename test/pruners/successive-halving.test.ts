// SuccessiveHalvingPruner (ASHA): rung maths, promotion, and decisions derived from stored history.
import { describe, expect, it } from 'vitest';
import {
  SuccessiveHalvingPruner,
  estimateMinResource,
  isPromotable,
  rungStep,
  valueAtRung,
} from '../../src/pruners/successive-halving.js';
import { curve, negated, running, trial, view } from './helpers.js';

describe('rung maths', () => {
  it.each([
    [1, 4, 0, [1, 4, 16, 64]],
    [1, 4, 1, [4, 16, 64, 256]],
    [2, 3, 0, [2, 6, 18, 54]],
    [5, 2, 2, [20, 40, 80, 160]],
  ])('minResource %i, reductionFactor %i, minEarlyStoppingRate %i: rungs at %j', (minResource, reductionFactor, minEarlyStoppingRate, steps) => {
    const config = { minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount: 0 };
    expect([0, 1, 2, 3].map((k) => rungStep(config, k))).toEqual(steps);
  });

  it.each([
    [0.5, [0.5], 4, 'minimize', true],
    [0.6, [0.5, 0.6], 4, 'minimize', false],
    [0.5, [0.5, 0.6, 0.7], 4, 'minimize', true],
    [0.6, [0.5, 0.6, 0.7, 0.8], 4, 'minimize', false],
    [0.6, [0.5, 0.6, 0.7, 0.8], 2, 'minimize', true],
    [0.7, [0.5, 0.6, 0.7, 0.8], 2, 'minimize', false],
    [0.7, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 'minimize', false],
    [0.2, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 'minimize', true],
    [0.3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 'minimize', false],
    [0.7, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 'maximize', true],
    [0.6, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 4, 'maximize', false],
    [0.8, [0.7, 0.8], 4, 'maximize', true],
  ] as const)('isPromotable(%d among %j, rf %i, %s) = %s', (value, competing, rf, direction, expected) => {
    expect(isPromotable(value, competing, rf, direction)).toBe(expected);
  });

  it.each([
    [{ 1: 0.5, 2: 0.4, 4: 0.3 }, 1, 0.5],
    [{ 1: 0.5, 2: 0.4, 4: 0.3 }, 3, 0.3],
    [{ 3: 0.1 }, 2, 0.1],
    [{ 1: 0.5 }, 2, undefined],
  ])('a trial reporting %j records %s at the rung at step %i', (intermediate, at, expected) => {
    expect(valueAtRung(trial(0, 'RUNNING', intermediate), at)).toBe(expected);
  });

  it.each([
    [[], undefined],
    [[trial(0, 'RUNNING', curve(Array(300).fill(1)))], undefined],
    [[trial(0, 'COMPLETE', curve(Array(50).fill(1)))], 1],
    [[trial(0, 'COMPLETE', curve(Array(50).fill(1))), trial(1, 'COMPLETE', curve(Array(250).fill(1)))], 2],
    [[trial(0, 'COMPLETE', curve(Array(1000).fill(1))), trial(1, 'PRUNED', curve(Array(5000).fill(1)))], 10],
  ])('auto minResource over %#th history = %s', (trials, expected) => {
    expect(estimateMinResource(trials)).toBe(expected);
  });
});

describe('SuccessiveHalvingPruner decisions', () => {
  // minResource 1, reductionFactor 2: rungs at steps 1, 2, 4, 8.
  // Rung values recorded by other trials: step 1 -> .5 .7 .9 .6; step 2 -> .4 .6 .5; step 4 -> .3 .44.
  const history = [
    trial(0, 'COMPLETE', { 1: 0.5, 2: 0.4, 3: 0.35, 4: 0.3 }, 0.3),
    trial(1, 'PRUNED', { 1: 0.7, 2: 0.6 }),
    trial(2, 'PRUNED', { 1: 0.9 }),
    trial(3, 'RUNNING', { 1: 0.6, 2: 0.5, 3: 0.45, 4: 0.44, 5: 0.43 }),
    trial(4, 'RUNNING', { 1: NaN }),
  ];
  const asha = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });

  const cases: [string, Record<number, number>, boolean][] = [
    ['before the first rung', { 0: 99 }, false],
    ['NaN before the first rung', { 0: NaN }, false],
    ['rung 0 outside the top 2 of 5', { 1: 0.65 }, true],
    ['rung 0 tied with the 2nd of 5', { 1: 0.6 }, false],
    ['rung 0 NaN', { 1: NaN }, true],
    ['rung 1 outside the top 2 of 4', { 1: 0.6, 2: 0.55 }, true],
    ['rung 1 within the top 2 of 4', { 1: 0.6, 2: 0.45 }, false],
    ['between rungs, however bad', { 1: 0.6, 2: 0.45, 3: 0.99 }, false],
    ['rung 2 not the best of 3', { 1: 0.6, 2: 0.45, 3: 0.4, 4: 0.35 }, true],
    ['rung 2 the best of 3', { 1: 0.6, 2: 0.45, 3: 0.4, 4: 0.29 }, false],
    ['a jump over rungs 1 and 2, promoted at both', { 1: 0.95, 4: 0.2 }, false],
    ['a jump promoted at rung 1 but not rung 2', { 1: 0.6, 4: 0.42 }, true],
    ['past rung 3 with nobody else there', { 1: 0.6, 2: 0.45, 4: 0.29, 8: 5 }, false],
  ];

  it.each(cases)('minimize: %s -> %s', (_label, intermediate, expected) => {
    expect(asha.shouldPrune(view(history), trial(99, 'RUNNING', intermediate))).toBe(expected);
  });

  it.each(cases)('maximize (values negated): %s -> %s', (_label, intermediate, expected) => {
    expect(asha.shouldPrune(view(history.map(negated), 'maximize'), negated(trial(99, 'RUNNING', intermediate)))).toBe(expected);
  });

  it('promotes the first trial to reach a rung', () => {
    expect(asha.shouldPrune(view([]), running([100]))).toBe(false);
  });

  it('ignores an older copy of the trial itself', () => {
    const old = trial(99, 'RUNNING', { 1: 0.1 });
    expect(asha.shouldPrune(view([...history, old]), running([0.6]))).toBe(false);
  });

  it.each([
    [0, { 1: 99 }, true],
    [1, { 1: 99 }, false],
    [1, { 1: 99, 2: 0.55 }, true],
    [2, { 1: 99, 2: 99, 3: 99 }, false],
    [2, { 1: 99, 2: 99, 3: 99, 4: 0.35 }, true],
  ])('minEarlyStoppingRate %i: %j -> %s', (minEarlyStoppingRate, intermediate, expected) => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, minEarlyStoppingRate });
    expect(pruner.shouldPrune(view(history), trial(99, 'RUNNING', intermediate))).toBe(expected);
  });

  it.each([
    [4, false],
    [5, true],
  ])('bootstrapCount %i with 5 values at rung 0 prunes even the best: %s', (bootstrapCount, expected) => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount });
    expect(pruner.shouldPrune(view(history), running([0.1]))).toBe(expected);
  });

  describe("minResource 'auto'", () => {
    const others = [0, 1, 2, 3].map((i) => trial(i, 'RUNNING', curve([1, 1, 1, 1])));
    const auto = new SuccessiveHalvingPruner({ reductionFactor: 2 });

    it('prunes nothing until a trial completes', () => {
      expect(auto.shouldPrune(view(others), running([9]))).toBe(false);
    });

    it('uses max(1, floor(last step / 100)) of the COMPLETE trials', () => {
      // last step 250 -> minResource 2: rungs at 2, 4, 8; step 1 is no rung.
      const done = trial(4, 'COMPLETE', curve(Array(250).fill(1)), 1);
      expect(auto.shouldPrune(view([...others, done]), running([9]))).toBe(false);
      expect(auto.shouldPrune(view([...others, done]), running([9, 9]))).toBe(true);
    });
  });
});
