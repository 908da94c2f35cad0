// PercentilePruner: prune a trial whose best reported value is worse than a percentile of the
// completed trials' values at the same step. MedianPruner is the 50th-percentile case.
import { z } from 'zod';
import type { StudyView } from '../study/sampler.js';
import type { Pruner } from '../study/pruner.js';
import type { Direction, TrialRecord } from '../tracking/entities.js';
import { bestOf, isFirstInInterval, reportedSteps, valueAt } from './intermediate.js';
import { nonNegativeInt, parsePrunerOptions, positiveInt } from './options.js';

const PERCENTILE = 'expected a number between 0 and 100';

/** Options shared by the percentile and median pruners. */
export const medianOptionsSchema = z
  .object({
    nStartupTrials: nonNegativeInt.optional(),
    nWarmupSteps: nonNegativeInt.optional(),
    intervalSteps: positiveInt.optional(),
    nMinTrials: positiveInt.optional(),
  })
  .strict();

export const percentileOptionsSchema = z
  .object({
    ...medianOptionsSchema.shape,
    percentile: z.number(PERCENTILE).min(0, PERCENTILE).max(100, PERCENTILE),
  })
  .strict();

export type MedianOptions = z.infer<typeof medianOptionsSchema>;
export type PercentileOptions = z.infer<typeof percentileOptionsSchema>;

/**
 * Optuna's percentile rule. At the trial's latest step `s`, the trial is pruned when its best value
 * over all its reports so far (min when minimizing, max when maximizing; NaN ignored) is worse than
 * the `percentile`-th best of the values that COMPLETE trials reported at exactly step `s`
 * (linear interpolation, NaN ignored; percentile 25 keeps the top quarter).
 * No decision (false) while fewer than `nStartupTrials` (default 5) trials are COMPLETE, while
 * `s < nWarmupSteps` (default 0), when `s` is not the first report in its interval of
 * `intervalSteps` (default 1) steps counted from the warmup, or when fewer than `nMinTrials`
 * (default 1) completed trials reported a value at `s`. A trial whose reports are all NaN is pruned.
 * @throws ConfigError from the constructor for invalid options.
 */
export class PercentilePruner implements Pruner {
  readonly name: string = 'percentile';
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(options: PercentileOptions) {
    const o = parsePrunerOptions('percentile', percentileOptionsSchema, options);
    this.percentile = o.percentile;
    this.nStartupTrials = o.nStartupTrials ?? 5;
    this.nWarmupSteps = o.nWarmupSteps ?? 0;
    this.intervalSteps = o.intervalSteps ?? 1;
    this.nMinTrials = o.nMinTrials ?? 1;
  }

  shouldPrune(study: StudyView, trial: TrialRecord): boolean {
    const steps = reportedSteps(trial);
    const step = steps.at(-1);
    if (step === undefined || step < this.nWarmupSteps) return false;
    const completed = study.trialsIn(['COMPLETE']).filter((t) => t.number !== trial.number);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    if (!isFirstInInterval(steps, step, this.nWarmupSteps, this.intervalSteps)) return false;

    const best = bestOf(steps.map((s) => valueAt(trial, s) ?? NaN), study.direction);
    if (Number.isNaN(best)) return true;
    const atStep = completed.map((t) => valueAt(t, step)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (atStep.length < this.nMinTrials) return false;
    const cutoff = percentileOf(atStep, this.percentile, study.direction);
    return study.direction === 'maximize' ? best < cutoff : best > cutoff;
  }
}

/**
 * The value below which `percentile` % of `values` lie, counted from the best end: from the
 * smallest when minimizing, from the largest when maximizing (numpy's linear interpolation).
 * @internal
 */
export function percentileOf(values: readonly number[], percentile: number, direction: Direction): number {
  const sorted = [...values].sort((a, b) => a - b);
  const q = direction === 'maximize' ? 100 - percentile : percentile;
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo] ?? NaN;
  const high = sorted[hi] ?? NaN;
  return lo === hi ? low : low + (high - low) * (rank - lo);
}
