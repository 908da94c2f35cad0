// ThresholdPruner: prune a trial whose latest reported value leaves [lower, upper] or is NaN.
import { z } from 'zod';
import type { StudyView } from '../study/sampler.js';
import type { Pruner } from '../study/pruner.js';
import type { TrialRecord } from '../tracking/entities.js';
import { isFirstInInterval, reportedSteps, valueAt } from './intermediate.js';
import { finiteNumber, nonNegativeInt, parsePrunerOptions, positiveInt } from './options.js';

export const thresholdOptionsSchema = z
  .object({
    lower: finiteNumber.optional(),
    upper: finiteNumber.optional(),
    nWarmupSteps: nonNegativeInt.optional(),
    intervalSteps: positiveInt.optional(),
  })
  .strict()
  .refine((o) => o.lower !== undefined || o.upper !== undefined, { message: 'give lower, upper or both', path: ['lower'] })
  .refine((o) => o.lower === undefined || o.upper === undefined || o.lower <= o.upper, {
    message: 'must be <= upper',
    path: ['lower'],
  });

export type ThresholdOptions = z.infer<typeof thresholdOptionsSchema>;

/**
 * Prunes when the trial's latest reported value is NaN, below `lower` or above `upper` (bounds
 * excluded; the study direction plays no part). No decision while the latest step is below
 * `nWarmupSteps` (default 0) or is not the first report of its interval of `intervalSteps`
 * (default 1) steps counted from the warmup.
 * @throws ConfigError from the constructor when neither bound is given, lower > upper, or an option is invalid.
 */
export class ThresholdPruner implements Pruner {
  readonly name = 'threshold';
  readonly lower: number;
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor(options: ThresholdOptions) {
    const o = parsePrunerOptions('threshold', thresholdOptionsSchema, options);
    this.lower = o.lower ?? -Infinity;
    this.upper = o.upper ?? Infinity;
    this.nWarmupSteps = o.nWarmupSteps ?? 0;
    this.intervalSteps = o.intervalSteps ?? 1;
  }

  shouldPrune(_study: StudyView, trial: TrialRecord): boolean {
    const steps = reportedSteps(trial);
    const step = steps.at(-1);
    if (step === undefined || step < this.nWarmupSteps) return false;
    if (!isFirstInInterval(steps, step, this.nWarmupSteps, this.intervalSteps)) return false;
    const value = valueAt(trial, step) ?? NaN;
    return Number.isNaN(value) || value < this.lower || value > this.upper;
  }
}
