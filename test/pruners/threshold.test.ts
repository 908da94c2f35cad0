// ThresholdPruner: bounds, NaN, warmup and interval; the study direction plays no part.
import { describe, expect, it } from 'vitest';
import { ThresholdPruner } from '../../src/pruners/threshold.js';
import { running, trial, view } from './helpers.js';

describe('ThresholdPruner', () => {
  it.each([
    [{ lower: 0, upper: 1 }, 0.5, false],
    [{ lower: 0, upper: 1 }, 0, false],
    [{ lower: 0, upper: 1 }, 1, false],
    [{ lower: 0, upper: 1 }, -0.1, true],
    [{ lower: 0, upper: 1 }, 1.1, true],
    [{ lower: 0, upper: 1 }, NaN, true],
    [{ lower: 0, upper: 1 }, Infinity, true],
    [{ lower: 0 }, 1e9, false],
    [{ lower: 0 }, -1e-9, true],
    [{ upper: 10 }, -1e9, false],
    [{ upper: 10 }, 10.5, true],
    [{ upper: 10 }, NaN, true],
  ])('%j: latest value %d -> %s', (options, latest, expected) => {
    for (const direction of ['minimize', 'maximize'] as const) {
      expect(new ThresholdPruner(options).shouldPrune(view([], direction), running([0.5, latest]))).toBe(expected);
    }
  });

  it('judges the latest report only', () => {
    const pruner = new ThresholdPruner({ upper: 1 });
    expect(pruner.shouldPrune(view([]), running([5, 0.5]))).toBe(false);
    expect(pruner.shouldPrune(view([]), running([0.5, 5]))).toBe(true);
  });

  it.each([
    [{ upper: 1, nWarmupSteps: 3 }, [5, 5], false],
    [{ upper: 1, nWarmupSteps: 3 }, [5, 5, 5], true],
    [{ upper: 1, nWarmupSteps: 3 }, [NaN, NaN], false],
    [{ upper: 1, intervalSteps: 3 }, [5], true],
    [{ upper: 1, intervalSteps: 3 }, [5, 5], false],
    [{ upper: 1, intervalSteps: 3 }, [5, 5, 5], true],
    [{ upper: 1, intervalSteps: 3 }, [5, 5, 5, 5], false],
    [{ upper: 1, intervalSteps: 3, nWarmupSteps: 2 }, [5, 5], true],
    [{ upper: 1, intervalSteps: 3, nWarmupSteps: 2 }, [5, 5, 5, 5, 5], true],
  ])('%j: reports %j at steps 1.. -> %s', (options, values, expected) => {
    expect(new ThresholdPruner(options).shouldPrune(view([]), running(values))).toBe(expected);
  });

  it('does not prune a trial without reports, and ignores other trials', () => {
    const others = view([trial(0, 'COMPLETE', { 1: 100 }, 100)]);
    expect(new ThresholdPruner({ upper: 1 }).shouldPrune(others, running([]))).toBe(false);
    expect(new ThresholdPruner({ upper: 1 }).shouldPrune(others, running([0.5]))).toBe(false);
  });
});
