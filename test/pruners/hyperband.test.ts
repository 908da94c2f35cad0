// HyperbandPruner: bracket budgets, deterministic bracket assignment, and per-bracket decisions.
import { describe, expect, it } from 'vitest';
import { HyperbandPruner, assignBracket, bracketBudgets } from '../../src/pruners/hyperband.js';
import { trial, view } from './helpers.js';

describe('bracket budgets', () => {
  it.each([
    [1, 81, 3, [81, 34, 15, 8, 5]],
    [1, 80, 3, [27, 12, 6, 4]],
    [1, 100, 4, [64, 22, 8, 4]],
    [1, 3, 3, [3, 2]],
    [1, 1, 3, [1]],
    [2, 50, 2, [16, 10, 7, 5, 5]],
  ])('minResource %i, maxResource %i, reductionFactor %i -> %j', (min, max, rf, expected) => {
    expect(bracketBudgets(min, max, rf)).toEqual(expected);
  });
});

describe('bracket assignment', () => {
  const budgets = [81, 34, 15, 8, 5];

  it('matches crc32("<study>_<number>") walked through the budgets (Optuna-compatible)', () => {
    // Expected values computed with Python: binascii.crc32(f"resnet_{n}".encode()) % 143.
    const brackets = Array.from({ length: 12 }, (_, n) => assignBracket('resnet', n, budgets));
    expect(brackets).toEqual([0, 0, 0, 1, 1, 0, 3, 0, 0, 1, 0, 1]);
  });

  it('is deterministic: the same study and trial number always give the same bracket', () => {
    const first = Array.from({ length: 200 }, (_, n) => assignBracket('resnet', n, budgets));
    const again = Array.from({ length: 200 }, (_, n) => assignBracket('resnet', n, budgets));
    expect(again).toEqual(first);
  });

  it('depends on the study name', () => {
    const a = Array.from({ length: 50 }, (_, n) => assignBracket('a', n, budgets));
    const b = Array.from({ length: 50 }, (_, n) => assignBracket('b', n, budgets));
    expect(a).not.toEqual(b);
  });

  it.each([
    ['resnet', [81, 34, 15, 8, 5]],
    ['lm', [27, 12, 6, 4]],
    ['x', [3, 2]],
  ])('assigns the trials of study %s in proportion to the budgets %j', (name, weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map(() => 0);
    const n = 20_000;
    for (let i = 0; i < n; i += 1) counts[assignBracket(name, i, weights)]! += 1;
    counts.forEach((count, b) => expect(Math.abs(count / n - weights[b]! / total)).toBeLessThan(0.015));
  });
});

describe('HyperbandPruner decisions', () => {
  // Study "hb", minResource 1, maxResource 3, reductionFactor 3: budgets [3, 2].
  // Bracket 0 (rungs at steps 1 and 3): trials 0, 2, 5, 6, 7, 8, 10, 11. Bracket 1 (rung at 3): 1, 3, 4, 9.
  const pruner = new HyperbandPruner({ minResource: 1, maxResource: 3, reductionFactor: 3 });
  const history = [
    trial(0, 'PRUNED', { 1: 0.8 }),
    trial(2, 'PRUNED', { 1: 0.9 }),
    trial(1, 'RUNNING', { 1: 0.1 }),
    trial(3, 'COMPLETE', { 1: 0.2, 2: 0.2, 3: 0.15 }, 0.15),
  ];

  it('assigns the trials as the table above says', () => {
    expect(Array.from({ length: 12 }, (_, n) => assignBracket('hb', n, [3, 2]))).toEqual([0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0]);
  });

  it.each([
    ['bracket 0 trial, best of its bracket at step 1 (though worse than bracket 1)', 5, { 1: 0.5 }, false],
    ['bracket 0 trial, not the best of its bracket at step 1', 5, { 1: 0.85 }, true],
    ['bracket 1 trial at step 1: no rung yet', 4, { 1: 5 }, false],
    ['bracket 1 trial at its first rung, worse than trial 3', 4, { 1: 5, 2: 5, 3: 0.3 }, true],
    ['bracket 1 trial at its first rung, better than trial 3', 4, { 1: 5, 2: 5, 3: 0.1 }, false],
  ])('%s -> %s', (_label, number, intermediate, expected) => {
    expect(pruner.shouldPrune(view(history, 'minimize', 'hb'), trial(number, 'RUNNING', intermediate))).toBe(expected);
  });

  it('handles maximize within a bracket', () => {
    const max = view([trial(0, 'PRUNED', { 1: 0.8 }), trial(2, 'PRUNED', { 1: 0.9 }), trial(1, 'RUNNING', { 1: 5 })], 'maximize', 'hb');
    expect(pruner.shouldPrune(max, trial(5, 'RUNNING', { 1: 0.95 }))).toBe(false);
    expect(pruner.shouldPrune(max, trial(5, 'RUNNING', { 1: 0.85 }))).toBe(true);
  });

  it('hashes the configured study name over the view name', () => {
    const named = new HyperbandPruner({ minResource: 1, maxResource: 3, reductionFactor: 3, studyName: 'hb' });
    expect(named.shouldPrune(view(history, 'minimize', 'other'), trial(5, 'RUNNING', { 1: 0.85 }))).toBe(true);
  });

  it("prunes nothing with 'auto' maxResource until a trial completes, then uses its last step + 1", () => {
    const auto = new HyperbandPruner({ reductionFactor: 3 });
    const open = history.filter((t) => t.state !== 'COMPLETE');
    expect(auto.shouldPrune(view(open, 'minimize', 'hb'), trial(5, 'RUNNING', { 1: 0.85 }))).toBe(false);
    expect(auto.budgetsFor(view(open, 'minimize', 'hb'))).toBeUndefined();
    expect(auto.budgetsFor(view(history, 'minimize', 'hb'))).toEqual([3, 2]);
    expect(auto.shouldPrune(view(history, 'minimize', 'hb'), trial(5, 'RUNNING', { 1: 0.85 }))).toBe(true);
  });
});
